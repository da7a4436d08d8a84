// Messages for the notices module's errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const noticesErrors = defineErrors({
  'notices.unknown_variable': { zh: '模板中有未知变量', en: 'The text uses an unknown variable' },
  'notices.unmatched_brace': { zh: '模板中有不成对的花括号', en: 'The text has an unmatched brace' },
  'notices.unknown_field': { zh: '不是可填写的字段', en: 'Not a sender field' },
  'notices.invalid_field': { zh: '字段内容过长或含有非法字符', en: 'A field value is too long or has forbidden characters' },
  'notices.missing_field': { zh: '模板用到的字段未填写', en: 'A field the text uses has no value' },
  'notices.invalid_text': { zh: '通知内容为空或过长', en: 'The text is empty or too long' },
  'notices.template_or_text': { zh: '请选择模板或填写内容（二选一）', en: 'Give either a template or a text' },
  'notices.template_not_found': { zh: '没有这个模板，或不在您的管辖范围内', en: 'No such template in your jurisdiction' },
  'notices.not_found': { zh: '没有这条通知，或不在您的管辖范围内', en: 'No such notice in your jurisdiction' },
  'notices.unknown_region': { zh: '没有这个行政区划', en: 'No such region' },
  'notices.region_out_of_scope': { zh: '目标区域超出您的管辖范围', en: 'The target region lies outside your jurisdiction' },
  'notices.unknown_grid': { zh: '目标区域内没有这个网格', en: 'No such grid in the target region' },
  'notices.unknown_label': { zh: '没有这个人群标签', en: 'No such label' },
  'notices.invalid_age_range': { zh: '年龄下限大于上限', en: 'The lowest age is above the highest' },
  'notices.no_recipients': { zh: '筛选条件没有选中任何居民', en: 'The filter selects no resident' },
  'notices.no_outbox': { zh: '发件箱未运行，暂时无法发送通知', en: 'Notices cannot be sent: the outbox is not running' },
  'notices.invalid_title': { zh: '标题为空或过长', en: 'The title is empty or too long' },
});
