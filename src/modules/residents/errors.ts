// Messages for the resident 360 view's errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const residentErrors = defineErrors({
  'residents.invalid_id_number': { zh: '公民身份号码格式或校验位不正确', en: 'Not a valid 18-character ID number (format or check character)' },
  'residents.no_department': { zh: '您的账号不属于任何部门，无法使用部门的数据授权', en: 'Your account belongs to no department, so no department grant applies' },
});
