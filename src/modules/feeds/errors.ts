// Messages for the feeds module's errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const feedsErrors = defineErrors({
  'feeds.not_found': { zh: '订阅不存在', en: 'No such subscription' },
  'feeds.grant_not_found': { zh: '数据授权不存在，或不属于该应用', en: 'No such data grant for this client application' },
  'feeds.grant_unusable': { zh: '数据授权已撤销或已过期，订阅已停止', en: 'The data grant was revoked or has expired: the feed has stopped' },
  'feeds.client_not_found': { zh: '应用系统不存在', en: 'No such client application' },
  'feeds.client_mismatch': { zh: '该授权指定了其他应用系统', en: 'The grant names another client application' },
  'feeds.duplicate': { zh: '该应用已订阅此授权', en: 'This client application already subscribes through this grant' },
  'feeds.invalid_url': { zh: '回调地址须为 http 或 https 地址，且不能包含用户名或密码', en: 'The webhook URL must be http or https, without user name or password' },
  'feeds.algorithm_required': { zh: '请选择签名算法', en: 'Choose a signing algorithm' },
  'feeds.no_webhook': { zh: '该订阅没有回调地址', en: 'This subscription has no webhook URL' },
  'feeds.invalid_cursor': { zh: '游标须为非负整数', en: 'The cursor is a non-negative integer' },
  'feeds.invalid_transition': { zh: '订阅当前状态不允许该操作', en: 'The subscription cannot do that in its current status' },
});
