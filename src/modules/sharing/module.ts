// Manifest of the sharing module: requests on the legal clock, data grants, client applications.
import { defineModule } from '../../platform/module.ts';
import * as clientsGrants from './migrations/20261127T1420_sharing_clients_grants.ts';
import './tables.ts';

export const sharingModule = defineModule({
  name: 'sharing',
  migrations: { '20261127T1420_sharing_clients_grants': clientsGrants },
});
