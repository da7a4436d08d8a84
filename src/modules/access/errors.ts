// Messages for share grants' errors (数据共享授权): code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const accessErrors = defineErrors({
  'share.unknown_resource': { zh: '该资源不可共享', en: 'This resource cannot be shared' },
  'share.unknown_field': { zh: '该字段不可共享', en: 'This field of the resource cannot be shared' },
  'share.invalid_purpose': { zh: '请填写共享用途', en: 'State the purpose of the share' },
  'share.expiry_past': { zh: '到期时间须晚于当前时间', en: 'The expiry must be in the future' },
  'share.expiry_too_far': { zh: '共享期限最长 366 天', en: 'A share lasts at most 366 days' },
  'share.grantee_required': { zh: '请指定被授权的部门或应用（二选一）', en: 'Name exactly one grantee: a department or a client application' },
  'share.unknown_owner': { zh: '您的管辖范围内没有该数据提供部门', en: 'No such owner department in your jurisdiction' },
  'share.grantee_is_owner': { zh: '不能向数据提供部门自身授权', en: 'A department cannot be granted its own data' },
  'share.unknown_grantee': { zh: '被授权的部门或应用不存在', en: 'No such grantee department or client application' },
  'share.not_found': { zh: '共享授权不存在或不在您的管辖范围内', en: 'No such share grant in your jurisdiction' },
  'share.already_revoked': { zh: '该共享授权已撤销', en: 'This share grant is already revoked' },
});
