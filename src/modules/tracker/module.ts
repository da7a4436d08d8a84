// Manifest of the tracker module (issue 7, data sharing and exchange).
import { defineModule } from '../../platform/module.ts';

export const trackerModule = defineModule({
  name: 'tracker',
});
