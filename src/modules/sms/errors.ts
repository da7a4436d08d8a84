// Messages for the SMS service's errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const smsErrors = defineErrors({
  'sms.not_found': { zh: '短信记录不存在', en: 'No such SMS' },
  'sms.template_too_long': { zh: '模板内容最多 600 个字符', en: 'A template body has at most 600 characters' },
  'sms.template_not_found': { zh: '短信模板不存在', en: 'No such SMS template' },
  'sms.already_opted_out': { zh: '该号码已在退订名单中', en: 'The number is already on the opt-out register' },
  'sms.not_opted_out': { zh: '该号码不在退订名单中', en: 'The number is not on the opt-out register' },
  'sms.invalid_number': { zh: '请输入以 13–19 开头的 11 位大陆手机号', en: 'Enter a mainland mobile number: 11 digits starting 13–19' },
  'sms.invalid_purpose': { zh: '用途须为小写编码，如 approval.notice', en: 'The purpose is a lower-case code such as approval.notice' },
  'sms.template_or_text': { zh: '请提供模板（及变量）或短信内容，二者选一', en: 'Give either a template (with its variables) or a text' },
  'sms.unknown_template': { zh: '没有该编码的短信模板', en: 'No SMS template has that code' },
  'sms.invalid_text': { zh: '短信内容为空或过长', en: 'The message is empty or too long' },
  'sms.too_many': { zh: '一次批量发送的短信过多', en: 'Too many messages in one bulk send' },
  'sms.no_outbox': { zh: '发件箱未运行，暂时无法发送短信', en: 'SMS cannot be queued: the outbox is not running' },
  'sms.no_local_smsc': { zh: '已配置运营商短信中心，没有演示收件箱', en: 'A carrier SMS centre is configured: there is no demo inbox' },
  'sms.template_placeholder': { zh: '模板中的 {变量} 写法不正确', en: 'A {placeholder} in the template is not well formed' },
  'sms.template_variable': { zh: '变量名不正确或重复', en: 'A variable name is not valid or is declared twice' },
  'sms.template_unused_variable': { zh: '声明的变量未在模板内容中使用', en: 'A declared variable is not used in the body' },
  'sms.template_unknown_variable': { zh: '模板内容使用了未声明的变量', en: 'The body uses a variable that is not declared' },
  'sms.missing_variable': { zh: '缺少模板变量的值', en: 'A template variable has no value' },
  'sms.unknown_variable': { zh: '模板没有这个变量', en: 'The template has no such variable' },
});
