// Messages for the access module's errors (share grants): code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const accessErrors = defineErrors({
  'share.already_revoked': { zh: '该共享授权已被撤销', en: 'The share grant was revoked already' },
  'share.expiry_past': { zh: '到期时间必须晚于现在', en: 'The expiry must lie in the future' },
  'share.expiry_too_far': { zh: '共享授权最长 366 天', en: 'A share grant runs at most 366 days' },
  'share.grantee_is_owner': { zh: '部门查阅本部门数据无需共享授权', en: 'A department needs no share grant for its own data' },
  'share.grantee_required': { zh: '请指定一个被授权部门或一个应用令牌', en: 'Name exactly one grantee: a department or a client application' },
  'share.invalid_purpose': { zh: '请填写共享用途', en: 'State the purpose of the share' },
  'share.not_found': { zh: '共享授权不存在或不在您的管辖范围内', en: 'No such share grant in your jurisdiction' },
  'share.unknown_field': { zh: '请从可共享的字段中选择', en: 'Pick fields that may be shared' },
  'share.unknown_grantee': { zh: '被授权部门不存在', en: 'No such grantee department' },
  'share.unknown_owner': { zh: '您的管辖范围内没有该数据所属部门', en: 'No such owner department in your jurisdiction' },
  'share.unknown_resource': { zh: '该资源不可共享', en: 'This resource cannot be shared' },
});
