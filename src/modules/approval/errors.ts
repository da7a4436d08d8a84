// Messages for the approval module's errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const approvalErrors = defineErrors({
  'approval.item_not_found': { zh: '事项不存在或您无权查看', en: 'No such service item that you may see' },
  'approval.item_retired': { zh: '该事项已停用，不能申请', en: 'The service item is retired and takes no applications' },
  'approval.item_offline': { zh: '该事项不支持网上申请，请到窗口办理', en: 'The item takes no online applications; apply at the counter' },
  'approval.duplicate_code': { zh: '事项编码已存在', en: 'An item with this code exists already' },
  'approval.invalid_limits': { zh: '承诺时限不能长于法定时限', en: 'The promised limit may not exceed the statutory limit' },
  'approval.invalid_fee': { zh: '法律未规定收费的事项不得收费', en: 'An item whose law sets no fee may not charge one' },
  'approval.invalid_steps': { zh: '办理环节须按 受理、审查、决定、办结、送达 的顺序且不重复', en: 'Steps follow accept, review, decide, conclude, deliver in order, each once' },
  'approval.department_out_of_scope': { zh: '该部门不在您的管理范围内', en: 'The department lies outside your scope' },
  'approval.unknown_department': { zh: '部门不存在', en: 'No such department' },
  'approval.case_not_found': { zh: '办件不存在或您无权查看', en: 'No such case that you may see' },
  'approval.invalid_transition': { zh: '办件当前状态不允许该操作', en: 'The case’s state does not allow this step' },
  'approval.stale': { zh: '办件已被他人修改，请刷新后重试', en: 'Someone changed the case meanwhile; reload and retry' },
  'approval.reason_required': { zh: '请填写理由', en: 'Give a reason' },
  'approval.extension_once': { zh: '每个办件只能延长一次', en: 'A case may be extended once' },
  'approval.already_paused': { zh: '办件已暂停计时', en: 'The case’s clock is paused already' },
  'approval.not_paused': { zh: '办件未暂停计时', en: 'The case’s clock is not paused' },
  'approval.paused': { zh: '暂停计时期间不能作出决定', en: 'No decision while the clock is paused' },
  'approval.materials_missing': { zh: '必要材料未齐，不能受理', en: 'Required materials are missing: the case cannot be accepted' },
  'approval.unknown_material': { zh: '该事项没有这项材料', en: 'The item has no such material' },
  'approval.material_type': { zh: '材料格式不符合要求', en: 'The material’s file type is not accepted for it' },
  'approval.material_too_large': { zh: '材料文件超过大小限制', en: 'The material’s file is too large' },
  'approval.invalid_applied_on': { zh: '申请日期不能晚于今天，也不能早于 2000 年', en: 'The application date may not lie in the future or before 2000' },
  'approval.invalid_id_number': { zh: '证件号码格式不正确', en: 'The ID number or credit code is not valid' },
  'approval.not_applicant': { zh: '只有申请人本人可以进行此操作', en: 'Only the applicant may do this' },
});
