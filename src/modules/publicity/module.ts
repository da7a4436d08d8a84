// Manifest of the public channels (citizen portal, disclosure, LED big screen, SMS to applicants): built with issue 9.
import { defineModule } from '../../platform/module.ts';

export const publicityModule = defineModule({ name: 'publicity' });
