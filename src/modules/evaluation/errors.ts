// Messages for the evaluation module's errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const evaluationErrors = defineErrors({
  'evaluation.case_not_found': { zh: '办件不存在或您无权评价', en: 'No such case that you may rate' },
  'evaluation.not_concluded': { zh: '办件尚未办结，办结后才能评价', en: 'The case is not concluded yet: it can be rated after conclusion' },
  'evaluation.already_rated': { zh: '该办件已评价，每件只能评价一次', en: 'The case has been rated already: a case is rated once' },
  'evaluation.invalid_level': { zh: '评价等级须为 1–5', en: 'The rating must be 1–5' },
  'evaluation.invalid_tag': { zh: '评价标签不在可选范围内', en: 'A tag is not one of the offered tags' },
  'evaluation.rating_not_found': { zh: '评价不存在或您无权查看', en: 'No such rating that you may see' },
  'evaluation.no_follow_up_needed': { zh: '该评价不是差评，无需整改回访', en: 'The rating is not a bad one: it needs no follow-up' },
  'evaluation.already_followed_up': { zh: '该差评已回访', en: 'The bad rating has been followed up already' },
  'evaluation.complaint_not_found': { zh: '投诉不存在或您无权查看', en: 'No such complaint that you may see' },
  'evaluation.invalid_transition': { zh: '投诉当前状态不允许此操作', en: 'The complaint’s state does not allow this' },
  'evaluation.reason_required': { zh: '不予受理须说明理由', en: 'Not accepting a complaint needs a reason' },
  'evaluation.result_required': { zh: '请填写办理结果', en: 'Enter the handling result' },
  'evaluation.department_not_found': { zh: '被投诉部门不存在或不在您的范围内', en: 'No such department within your scope' },
  'evaluation.case_mismatch': { zh: '所选办件不属于被投诉部门或不是您的办件', en: 'The case is not one of the department’s, or not yours' },
  'evaluation.invalid_month': { zh: '月份格式须为 YYYY-MM，且不晚于本月', en: 'The month must be YYYY-MM and not after this month' },
  'evaluation.month_published': { zh: '该月考评已发布，不能重新计算', en: 'The month was published: it cannot be recomputed' },
  'evaluation.nothing_to_publish': { zh: '该月尚未计算考评结果', en: 'The month has not been scored yet' },
  'evaluation.region_scope_required': { zh: '计算与发布考评须有区域范围的考评管理权限', en: 'Computing and publishing need evaluation.manage over a region' },
  'evaluation.invalid_text': { zh: '内容长度超出限制', en: 'The text is too long' },
});
