// Messages for community statistics' errors (统计分析): code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const censusErrors = defineErrors({
  'census.unknown_dimension': { zh: '没有这个统计维度', en: 'No such dimension' },
  'census.same_dimension': { zh: '交叉分析的两个维度不能相同', en: 'A cross-tab needs two different dimensions' },
  'census.invalid_date': { zh: '日期格式应为 YYYY-MM-DD', en: 'The date is not a YYYY-MM-DD calendar date' },
  'census.future_date': { zh: '统计日期不能晚于今天', en: 'The as-of date cannot be after today' },
  'census.unknown_region': { zh: '没有这个区划', en: 'No such region' },
  'census.region_outside': { zh: '该区划不在您的辖区内', en: 'The region is outside your jurisdiction' },
});
