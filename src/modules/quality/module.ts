// Manifest of the quality module (issue 7, data sharing and exchange).
import { defineModule } from '../../platform/module.ts';

export const qualityModule = defineModule({
  name: 'quality',
});
