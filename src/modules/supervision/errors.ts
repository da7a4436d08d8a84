// Messages for the supervision module's errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const supervisionErrors = defineErrors({
  'supervision.not_found': { zh: '预警、督办单或说明不存在，或您无权查看', en: 'No such warning, order or explanation that you may see' },
  'supervision.invalid_state': { zh: '当前状态下不能进行此操作', en: 'Not allowed in the current state' },
  'supervision.not_a_card': { zh: '只有黄牌、红牌需要说明理由', en: 'Only yellow and red cards are explained' },
  'supervision.invalid_text': { zh: '内容须为 1–2000 个字符', en: 'The text must have 1–2,000 characters' },
  'supervision.invalid_deadline': { zh: '办理期限须为 1–60 个工作日', en: 'The response deadline must be 1–60 working days' },
  'supervision.target_required': { zh: '请指定预警或办件', en: 'Name a warning or a case' },
  'supervision.reason_required': { zh: '退回或不予采纳须说明理由', en: 'A rejection or reopening needs a reason' },
  'supervision.out_of_scope': { zh: '对象不在您的监察范围内', en: 'The subject lies outside your jurisdiction' },
  'supervision.not_own_department': { zh: '只能代表本部门答复或说明', en: 'You may respond or explain only for your own department' },
  'supervision.version_conflict': { zh: '数据已被他人修改，请刷新后重试', en: 'Someone changed it meanwhile: reload and try again' },
  'supervision.invalid_date': { zh: '日期格式须为 YYYY-MM-DD', en: 'Dates are YYYY-MM-DD' },
});
