// Messages for the quality module's errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const qualityErrors = defineErrors({
  'quality.resource_not_found': { zh: '没有这项数据资源，或不在您的管辖范围内', en: 'No such data resource in your jurisdiction' },
});
