// Manifest of the exchange module (issue 7, data sharing and exchange).
import { defineModule } from '../../platform/module.ts';

export const exchangeModule = defineModule({
  name: 'exchange',
});
