// Messages for the OA module's errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const oaErrors = defineErrors({
  'oa.not_found': { zh: '公文不存在或您无权查看', en: 'No such document that you may see' },
  'oa.not_draft': { zh: '公文已发送，不能修改；如需更正请发更正文', en: 'The document was sent and cannot change; send a correction that supersedes it' },
  'oa.not_sent': { zh: '公文不在已发送状态', en: 'The document is not in the sent state' },
  'oa.already_signed': { zh: '已有人签收，不能撤回', en: 'Someone signed for it already: it cannot be withdrawn' },
  'oa.duplicate_number': { zh: '本部门本年度已有该文号', en: 'Your department used this document number this year already' },
  'oa.number_required': { zh: '公文须有文号', en: 'An official document needs a document number' },
  'oa.invalid_title': { zh: '标题须为 1–200 个字符', en: 'The title must have 1–200 characters' },
  'oa.invalid_body': { zh: '正文过长', en: 'The body is too long' },
  'oa.invalid_deadline': { zh: '签收期限须晚于现在且不超过一年', en: 'The sign-for deadline must lie in the future, at most a year ahead' },
  'oa.no_recipients': { zh: '请选择收文部门、区划或角色', en: 'Choose recipient departments, regions or roles' },
  'oa.recipient_out_of_scope': { zh: '收文对象超出您的发文范围', en: 'A recipient lies outside the scope in which you may send' },
  'oa.unknown_recipient': { zh: '收文部门或区划不存在', en: 'No such recipient department or region' },
  'oa.empty_resolution': { zh: '所选收文对象下没有可接收的用户', en: 'The chosen recipients hold no active users' },
  'oa.no_department': { zh: '您的账号不属于任何部门，不能发文', en: 'Your account belongs to no department, so it cannot send' },
  'oa.not_recipient': { zh: '该公文未发给您', en: 'The document was not addressed to you' },
  'oa.bad_supersedes': { zh: '只能更正本部门已发送的公文', en: 'Only a sent document of your own department can be corrected' },
});
