// Messages for the metering module's errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const meteringErrors = defineErrors({
  'metering.invalid_month': { zh: '月份格式应为 YYYY-MM', en: 'A month is written YYYY-MM' },
  'metering.past_month': { zh: '资费只能自本月或以后月份起生效，已结算月份不能修改', en: 'A tariff takes effect from this month or a later one; past months are not changed' },
  'metering.department_out_of_scope': { zh: '该部门不在您的管理范围内', en: 'The department lies outside your scope' },
});
