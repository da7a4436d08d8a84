// Messages for the resident profile's errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const profileErrors = defineErrors({
  'profiles.resident_not_found': { zh: '没有这位居民，或不在您的管辖范围内', en: 'No such resident in your jurisdiction' },
  'profiles.unknown_label': { zh: '没有这个重点人群标签', en: 'No such label' },
  'profiles.label_not_attached': { zh: '该居民没有这个标签', en: 'The resident does not carry this label' },
  'profiles.unknown_department': { zh: '没有这个部门', en: 'No such department' },
  'profiles.unknown_client_app': { zh: '没有这个应用系统，或它不属于所选部门', en: 'No such client application of that department' },
  'profiles.unknown_resource': { zh: '没有这项已发布的以人为主键的信息资源', en: 'No such published person-keyed resource' },
  'profiles.unknown_fact': { zh: '没有这个事实标记', en: 'No such fact flag' },
});
