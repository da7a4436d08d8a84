// Messages for the matters module's errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const mattersErrors = defineErrors({
  'matters.not_found': { zh: '没有这个监察事项，或不在您的管辖范围内', en: 'No such supervised matter in your jurisdiction' },
  'matters.department_out_of_scope': { zh: '只能登记本部门（含下属部门）的事项', en: 'You may record matters of your own department tree only' },
  'matters.unknown_department': { zh: '没有这个部门', en: 'No such department' },
  'matters.unknown_region': { zh: '没有这个行政区划', en: 'No such region' },
  'matters.region_outside_department': { zh: '事项所在区域不在该部门的辖区内', en: 'The region lies outside the department’s region' },
  'matters.not_a_village': { zh: '阳光村务须指定村（社区）一级区划', en: 'A village schedule names a village or community (level 4)' },
  'matters.unknown_article': { zh: '裁量基准中没有这个法条', en: 'No such article in the discretion table' },
  'matters.date_order': { zh: '日期先后顺序不对', en: 'A date lies before the one it follows' },
  'matters.future_date': { zh: '日期不能晚于今天', en: 'The date lies in the future' },
  'matters.duplicate_ref': { zh: '本部门已有相同编号的同类事项', en: 'The department has a matter of this kind with this number' },
  'matters.duplicate_milestone': { zh: '节点序号重复', en: 'Two milestones have the same number' },
  'matters.version_conflict': { zh: '事项已被他人修改，请刷新后重试', en: 'The matter was changed meanwhile: reload and try again' },
  'matters.wrong_kind': { zh: '该操作不适用于此类事项', en: 'Not possible for a matter of this kind' },
  'matters.invalid_period': { zh: '公开期间与公开频次不符', en: 'The period does not suit the schedule’s frequency' },
  'matters.duplicate_publication': { zh: '该期间已登记公开记录', en: 'This period is published already' },
  'matters.not_open': { zh: '事项已办结或撤销', en: 'The matter is closed or cancelled' },
});
