// Messages for the in-app messages' errors (站内信): code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const inboxErrors = defineErrors({
  'inbox.invalid_title': { zh: '消息标题长度不符合要求', en: 'The message title is empty or too long' },
  'inbox.invalid_body': { zh: '消息内容过长', en: 'The message body is too long' },
  'inbox.invalid_link': { zh: '消息链接须为以 / 开头的控制台路径', en: 'A message link is a console path starting with /' },
  'inbox.not_found': { zh: '没有这条消息', en: 'You have no such message' },
});
