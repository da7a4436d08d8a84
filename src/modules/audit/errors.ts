// Messages for the audit trail's errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const auditErrors = defineErrors({
  'audit.access_log_unavailable': { zh: '访问日志暂时无法写入，为保证留痕，本次读取未返回数据，请稍后重试', en: 'The access log cannot be written just now, so the data was not sent; try again shortly' },
  'audit.checkpoints_disabled': { zh: '未配置审计检查点文件', en: 'No audit checkpoint file is configured' },
});
