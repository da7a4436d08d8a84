// Messages for the sharing module's errors (requests, data grants, client applications): code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const sharingErrors = defineErrors({
  'sharing.unknown_resource': { zh: '目录中没有该资源', en: 'No such resource in the catalogue' },
  'sharing.unknown_item': { zh: '该资源没有此信息项', en: 'The resource has no such item' },
  'sharing.item_not_shared': { zh: '该信息项不予共享，不能申请', en: 'This item is not shared and cannot be requested' },
  'sharing.own_resource': { zh: '本部门的资源无需申请共享', en: 'A department needs no request for its own resource' },
  'sharing.invalid_period': { zh: '共享期限无效：结束日期不得早于开始日期或今天，且不超过一年', en: 'Invalid period: it must end on or after its start and today, and last at most one year' },
  'sharing.invalid_region': { zh: '区划范围须在申请部门的管辖范围内', en: 'The region filter must lie within the consumer department’s jurisdiction' },
  'sharing.unknown_client': { zh: '申请部门没有该应用系统或其已停用', en: 'The consumer department has no such active client application' },
  'sharing.unknown_consumer': { zh: '您的管辖范围内没有该申请部门', en: 'No such consumer department in your jurisdiction' },
  'sharing.invalid_text': { zh: '请填写用途和法律依据', en: 'State the purpose and the legal basis' },
  'sharing.idempotency_mismatch': { zh: '同一幂等键已用于另一份申请', en: 'The idempotency key was used for a different request' },
  'sharing.request_not_found': { zh: '共享申请不存在或不在您的管辖范围内', en: 'No such sharing request in your jurisdiction' },
  'sharing.not_pending': { zh: '该申请已处理，不能再次答复或撤回', en: 'The request was answered already' },
  'sharing.reason_required': { zh: '拒绝共享须说明理由', en: 'A refusal needs a reason' },
  'sharing.invalid_items': { zh: '请从申请的有条件共享信息项中选择要批准的项', en: 'Approve some of the conditional items that were requested' },
  'sharing.grant_not_found': { zh: '数据授权不存在或不在您的管辖范围内', en: 'No such data grant in your jurisdiction' },
  'sharing.already_revoked': { zh: '该数据授权已被撤销', en: 'The data grant was revoked already' },
  'clients.not_found': { zh: '应用系统不存在或不在您的管辖范围内', en: 'No such client application in your jurisdiction' },
  'clients.duplicate_name': { zh: '本部门已有同名应用系统', en: 'The department has a client application of that name already' },
  'clients.invalid_expiry': { zh: '密钥到期时间须晚于现在且不超过两年', en: 'The secret’s expiry must lie in the future, at most two years ahead' },
  'clients.unknown_department': { zh: '您的管辖范围内没有该部门', en: 'No such department in your jurisdiction' },
});
