// Messages for the audit module's errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const auditErrors = defineErrors({
  'audit.access_log_unavailable': { zh: '本次查阅未能记入访问日志，数据未返回，请稍后重试', en: 'The read could not be recorded in the access log, so no data was sent; try again' },
  'audit.checkpoints_disabled': { zh: '未配置审计检查点文件（GOVCLOUD_AUDIT_CHECKPOINT_FILE）', en: 'No audit checkpoint file is configured (GOVCLOUD_AUDIT_CHECKPOINT_FILE)' },
});
