// Messages for grid work's errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const gridworkErrors = defineErrors({
  'gridwork.resident_not_found': { zh: '该居民不在您负责的网格或社区内', en: 'No such resident in your grids or community' },
  'gridwork.invalid_time': { zh: '走访时间不能晚于现在', en: 'The visit time cannot lie in the future' },
  'gridwork.idempotency_mismatch': { zh: '同一提交编号已用于另一条记录', en: 'The submission key was used for a different record' },
  'gridwork.invalid_location': { zh: '经纬度须同时填写且在有效范围内', en: 'Give both latitude and longitude, within range' },
  'gridwork.no_community': { zh: '您没有负责的社区，不能上报事件', en: 'You are assigned to no community to report from' },
  'gridwork.invalid_community': { zh: '请选择您负责的社区', en: 'Choose one of the communities you work in' },
  'gridwork.incident_not_found': { zh: '事件不存在或不在您的管辖范围内', en: 'No such incident in your jurisdiction' },
  'gridwork.invalid_transition': { zh: '事件当前状态不允许此操作', en: 'The incident’s state does not allow this step' },
  'gridwork.not_allowed': { zh: '您不能对该事件执行此操作', en: 'You may not take this step on the incident' },
  'gridwork.unknown_department': { zh: '承办部门须为该街道所在辖区内的部门', en: 'The responsible department must belong to the street’s line of government' },
  'gridwork.note_required': { zh: '请填写处置结果或退回理由', en: 'State the outcome or the reason for returning' },
});
