// Messages for the regions module's errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const regionErrors = defineErrors({
  'region.effective_date_in_future': { zh: '生效日期不能晚于今天', en: 'The effective date cannot be in the future' },
  'region.effective_date_too_early': { zh: '生效日期早于该区划现名称（或存续）的起始日期', en: 'The effective date is before the region got its current name (or existed)' },
  'region.has_children': { zh: '该区划下仍有现行的下级区划，请先合并或撤销下级区划', en: 'The region still has current sub-regions; merge or retire them first' },
  'region.invalid_code': { zh: '区划代码格式不正确', en: 'Not a valid division code' },
  'region.invalid_date': { zh: '日期格式不正确', en: 'Not a valid date' },
  'region.invalid_depth': { zh: '层级数无效', en: 'Not a valid depth' },
  'region.invalid_name': { zh: '名称须为 1–100 个字符，且不含 < > 或控制字符', en: 'The name must be 1–100 characters without < > or control characters' },
  'region.level_mismatch': { zh: '只能合并到同级区划', en: 'A region can only merge into one of the same level' },
  'region.merge_into_self': { zh: '不能合并到自身', en: 'A region cannot be merged into itself' },
  'region.name_unchanged': { zh: '新名称与现名称相同', en: 'The new name is the current name' },
  'region.not_current': { zh: '该区划已合并或撤销，不能再变更', en: 'This region was merged or retired and cannot change' },
  'region.not_found': { zh: '区划不存在或不在您的管辖范围内', en: 'No such region in your jurisdiction' },
  'region.unknown': { zh: '区划不存在或已撤销', en: 'No current region has this code' },
  'region.unknown_prefecture': { zh: '没有该地级区划', en: 'No such prefecture' },
  'region.unknown_target': { zh: '目标区划不存在、已撤销或不在您的管辖范围内', en: 'The target region does not exist, is not current, or is outside your jurisdiction' },
});
