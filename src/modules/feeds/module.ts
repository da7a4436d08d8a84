// Manifest of the feeds module (issue 7, data sharing and exchange).
import { defineModule } from '../../platform/module.ts';

export const feedsModule = defineModule({
  name: 'feeds',
});
