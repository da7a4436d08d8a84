// Messages for the tracker's errors (citizen access record, covert marking): code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const trackerErrors = defineErrors({
  'tracker.invalid_id_number': { zh: '公民身份号码格式或校验位不正确', en: 'Not a valid 18-character ID number (format or check character)' },
  'tracker.citizen_only': { zh: '仅限公民本人查看', en: 'Only the citizen may see their own data-use record' },
  'tracker.grant_not_found': { zh: '没有这项数据授权，或不在您的管辖范围内', en: 'No such data grant in your jurisdiction' },
  'tracker.reason_required': { zh: '请填写标记或取消标记的理由', en: 'Give a reason for the marking' },
});
