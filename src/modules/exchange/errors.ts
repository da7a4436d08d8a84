// Messages for the exchange gateway's errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const exchangeErrors = defineErrors({
  'exchange.invalid_client': { zh: '客户端凭证无效、已过期或应用已停用', en: 'The client credentials are unknown, wrong, expired or the application is disabled' },
  'exchange.unsupported_grant_type': { zh: '仅支持 client_credentials 授权方式', en: 'Only grant_type=client_credentials is supported' },
  'exchange.token_required': { zh: '请提供访问令牌（Bearer）或客户端凭证（Basic）', en: 'Present an access token (Bearer) or client credentials (Basic)' },
  'exchange.invalid_token': { zh: '访问令牌无效或已过期', en: 'The access token is unknown or expired' },
  'exchange.client_disabled': { zh: '调用系统已停用', en: 'The client application is disabled' },
  'exchange.grant_required': { zh: '请在 X-Grant-Id 头中提供授权编号', en: 'Send the grant id in the X-Grant-Id header' },
  'exchange.purpose_required': { zh: '请在 X-Purpose 头中说明用途（不超过 200 字）', en: 'State the purpose in the X-Purpose header (at most 200 characters)' },
  'exchange.grant_not_found': { zh: '没有这项授权', en: 'There is no such grant' },
  'exchange.grant_revoked': { zh: '授权已撤销', en: 'The grant has been revoked' },
  'exchange.grant_expired': { zh: '授权已过期', en: 'The grant has expired' },
  'exchange.grant_resource_mismatch': { zh: '授权不适用于该资源', en: 'The grant is not for this resource' },
  'exchange.grant_not_yours': { zh: '授权不属于本调用系统或其部门', en: 'The grant is not made to this client application or its department' },
  'exchange.item_not_granted': { zh: '请求的信息项不在授权范围内', en: 'A requested item is outside the grant' },
  'exchange.unknown_item': { zh: '资源没有这个信息项', en: 'The resource has no such item' },
  'exchange.resource_not_found': { zh: '没有这个资源', en: 'There is no such resource' },
  'exchange.row_not_found': { zh: '没有这条记录', en: 'There is no such record' },
  'exchange.invalid_key': { zh: '记录主键格式不正确', en: 'The record key is malformed' },
  'exchange.rate_limited': { zh: '调用过于频繁，请稍后再试', en: 'Too many calls; retry later' },
  'exchange.upstream_failed': { zh: '上游数据源调用失败', en: 'The upstream provider failed' },
  'exchange.upstream_timeout': { zh: '上游数据源响应超时', en: 'The upstream provider did not answer in time' },
  'exchange.invalid_range': { zh: '日期范围不正确', en: 'The date range is invalid' },
});
