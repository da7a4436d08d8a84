// Messages for the working-day calendar's errors (工作日历): code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const calendarErrors = defineErrors({
  'calendar.invalid_date': { zh: '日期无效，请按 YYYY-MM-DD 填写真实日期', en: 'Not a real date written YYYY-MM-DD' },
  'calendar.date_outside_year': { zh: '日期不在该年份内', en: 'The date is not in that year' },
  'calendar.invalid_year': { zh: '年份无效或超出支持范围', en: 'Not a valid year, or outside the supported range' },
  'calendar.no_holidays': { zh: '节假日安排至少要列出一个休息日', en: 'A schedule lists at least one holiday' },
  'calendar.invalid_schedule': { zh: '节假日安排格式不正确', en: 'The schedule is not well formed' },
  'calendar.invalid_name': { zh: '节日名称长度不符或含有 < > 等字符', en: 'The holiday name is too long or has < > or control characters' },
  'calendar.invalid_range': { zh: '结束日期早于开始日期', en: 'The end date is before the start date' },
  'calendar.workday_not_weekend': { zh: '调休上班日必须是周六或周日', en: 'A make-up workday (调休) is a Saturday or Sunday' },
  'calendar.invalid_file': { zh: '文件既不是有效的 JSON，也不是有效的 CSV（表头 date,kind,name）', en: 'The file is neither valid JSON nor CSV with the header date,kind,name' },
  'calendar.invalid_kind': { zh: '类型只能是休息日（休）或调休上班日（班）', en: 'The kind is holiday (休) or workday (班)' },
  'calendar.out_of_range': { zh: '计算超出了已载入节假日安排的年份', en: 'The computation reaches past the loaded holiday schedules' },
  'calendar.year_not_loaded': { zh: '该年份的节假日安排尚未载入', en: 'No schedule is loaded for that year' },
  'calendar.year_loaded': { zh: '该年份已载入节假日安排；如需替换请勾选“替换”', en: 'That year is loaded already; tick "replace" to replace it' },
});
