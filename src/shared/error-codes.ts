// Messages for the errors the core raises (request checks, sign-in boundary, access): code → zh-CN and English.
import { defineErrors } from './errors.ts';

export const coreErrors = defineErrors({
  'auth.invalid_token': { zh: '访问令牌无效、已过期或已撤销', en: 'The API token is invalid, expired or revoked' },
  'route.not_found': { zh: '没有这个接口', en: 'No such API route' },
  'request.expectation_failed': { zh: '不支持的 Expect 请求头', en: 'The Expect header is not supported' },
  'auth.bad_origin': { zh: '请求不是来自本系统的页面，已拒绝', en: 'The request did not come from this system\'s pages and was refused' },
  'auth.csrf': { zh: '页面已过期，请刷新后重试', en: 'The page is out of date. Please reload and try again' },
  'auth.forbidden': { zh: '没有权限执行此操作', en: 'You are not allowed to do this' },
  'auth.outside_jurisdiction': { zh: '超出您的管辖范围', en: 'Outside your jurisdiction' },
  'auth.required': { zh: '请先登录', en: 'Please sign in' },
  'auth.session_required': { zh: '此操作须在登录会话中进行', en: 'This must be done from a signed-in session' },
  'auth.token_scope': { zh: '该访问令牌没有此项权限', en: 'The API token does not carry this permission' },
  'internal': { zh: '服务器内部错误，请凭请求编号联系管理员', en: 'An unexpected error occurred; quote the request id when reporting it' },
  'request.bad_url': { zh: '网址中含有无效字符', en: 'The address contains invalid characters' },
  'request.body_too_large': { zh: '提交的内容过大', en: 'The request is larger than the server accepts' },
  'request.invalid': { zh: '提交的内容不符合要求', en: 'The submitted data is not valid' },
  'request.invalid_content_length': { zh: '请求长度无效', en: 'The request length is not valid' },
  'request.invalid_cursor': { zh: '翻页位置无效，请回到第一页', en: 'The page position is not valid; go back to the first page' },
  'request.invalid_date': { zh: '日期格式不正确', en: 'Not a valid date' },
  'request.invalid_text': { zh: '内容含有无法保存的字符（空字符或不完整的字符），请删除后重试', en: 'The text contains characters that cannot be saved (NUL or broken characters); remove them and try again' },
  'request.malformed_json': { zh: '提交的内容不是有效的 JSON', en: 'The request body is not valid JSON' },
  'request.unsupported_media_type': { zh: '不支持的提交格式', en: 'This content type is not accepted' },
  'request.uri_too_long': { zh: '网址过长', en: 'The address is too long' },
});
