// Messages for the public channels' errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const publicityErrors = defineErrors({
  'publicity.case_not_found': { zh: '没有查到办件：请核对办件编号与申请人姓名或证件号码', en: 'No case matches: check the case number and the applicant’s name or ID number' },
  'publicity.applicant_required': { zh: '请填写申请人姓名或证件号码（二选一）', en: 'Give the applicant’s name or ID number (one of them)' },
  'publicity.rate_limited': { zh: '查询过于频繁，请稍后再试', en: 'Too many lookups from this address; try again shortly' },
  'publicity.captcha_required': { zh: '查询失败次数较多，请输入验证码', en: 'After several misses a captcha is required' },
  'publicity.captcha_wrong': { zh: '验证码错误或已过期，请刷新后重试', en: 'The captcha answer is wrong or has expired' },
  'publicity.too_many_streams': { zh: '大屏连接数已满，请稍后再试', en: 'Too many big-screen connections on this node' },
});
