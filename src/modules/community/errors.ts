// Messages for the community registry's errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const communityErrors = defineErrors({
  'community.out_of_jurisdiction': { zh: '该社区不在您的管辖范围内', en: 'That community is outside your jurisdiction' },
  'community.not_a_community': { zh: '区划代码不是社区（村）一级的现行区划', en: 'The code is not a current community or village (level 4) region' },
  'community.unknown_region': { zh: '没有这个区划代码', en: 'No region has this code' },
  'community.invalid_id_number': { zh: '公民身份号码格式、出生日期、校验位或地址码不正确', en: 'Not a valid ID number (format, birth date, check character or region prefix)' },
  'community.id_mismatch': { zh: '性别或出生日期与公民身份号码不一致', en: 'Sex or birth date does not match the ID number' },
  'community.unknown_ethnicity': { zh: '民族代码不在 GB/T 3304 中', en: 'Not a GB/T 3304 ethnic group code' },
  'community.invalid_phone': { zh: '手机号码格式不正确', en: 'Not a mainland mobile number' },
  'community.invalid_date': { zh: '日期不合理（早于现居住起始日或晚于今天）', en: 'The date is before the current residence began or after today' },
  'community.duplicate_resident': { zh: '该公民身份号码已登记', en: 'A resident with this ID number is already registered' },
  'community.version_conflict': { zh: '该居民信息已被他人修改，请刷新后重试', en: 'The resident was changed meanwhile; reload and try again' },
  'community.resident_not_found': { zh: '没有这个居民，或不在您的管辖范围内', en: 'No such resident in your jurisdiction' },
  'community.resident_inactive': { zh: '该居民已迁出或已故', en: 'The resident has moved out or died' },
  'community.same_community': { zh: '迁入社区与现居社区相同', en: 'The resident already lives in that community' },
  'community.grid_not_found': { zh: '没有这个网格，或不在该社区', en: 'No such grid in that community' },
  'community.building_not_found': { zh: '没有这栋楼，或不在该社区', en: 'No such building in that community' },
  'community.household_not_found': { zh: '没有这一户，或不在该社区', en: 'No such household in that community' },
  'community.worker_out_of_scope': { zh: '该用户的角色授权不覆盖此社区', en: 'That user holds no community role covering this community' },
  'community.already_member': { zh: '该居民已属于一户，请先移出', en: 'The resident already belongs to a household; remove them first' },
  'community.not_member': { zh: '该居民不是这一户的成员', en: 'The resident is not a member of this household' },
  'community.head_exists': { zh: '这一户已有户主', en: 'The household already has a head' },
  'community.import_invalid_file': { zh: '文件无法读取（须为 CSV 或 XLSX，含表头）', en: 'The file cannot be read (CSV or XLSX with a header row)' },
});
