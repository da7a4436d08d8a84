// Messages for the departments module's errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const departmentErrors = defineErrors({
  'department.code_taken': { zh: '该部门代码已被使用', en: 'This department code is taken' },
  'department.credit_code_taken': { zh: '已有其他部门使用该统一社会信用代码', en: 'Another department already has this credit code' },
  'department.invalid_code': { zh: '部门代码格式不正确', en: 'Not a valid department code' },
  'department.invalid_credit_code': { zh: '统一社会信用代码无效', en: 'Not a valid unified social credit code' },
  'department.invalid_text': { zh: '不能包含 < > 或控制字符，首尾不能是空格', en: 'No < >, control characters, or leading/trailing spaces' },
  'department.not_found': { zh: '部门不存在或不在您的管辖范围内', en: 'No such department in your jurisdiction' },
  'department.parent_cycle': { zh: '不能选择本部门或其下级部门作为上级部门', en: 'A department cannot sit under itself or one of its sub-departments' },
  'department.parent_outside_region': { zh: '上级部门所在区划不包含本部门的区划', en: "The parent's region does not contain this department's region" },
  'department.unknown_kind': { zh: '未知的部门类型', en: 'Unknown department kind' },
  'department.unknown_parent': { zh: '您的管辖范围内没有该上级部门', en: 'No such parent department in your jurisdiction' },
  'auth.system_only': { zh: '该操作只能由平台自身（初始化、导入）执行', en: 'Only the platform itself (seed, import) may do this' },
});
