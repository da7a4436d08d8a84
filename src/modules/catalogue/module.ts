// Manifest of the resource catalogue: resources, info items, metadata versions, search, export, the demand list.
import { defineModule } from '../../platform/module.ts';
import * as resources from './migrations/20261127T1400_catalogue_resources.ts';
import './tables.ts';

export const catalogueModule = defineModule({
  name: 'catalogue',
  migrations: { '20261127T1400_catalogue_resources': resources },
});
