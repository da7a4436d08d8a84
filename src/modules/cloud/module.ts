// Manifest of the cloud resource pool (issue 10): inventory, capacity and quota accounting shared by the hypervisor,
// self-service and metering modules that follow it in the registry.
import { defineModule, serviceOf } from '../../platform/module.ts';
import type { AuditService } from '../audit/index.ts';
import * as inventory from './migrations/20261129T0900_cloud_inventory.ts';
import * as tariff from './migrations/20261129T0901_cloud_tariff.ts';
import * as placement from './migrations/20261129T0905_cloud_placement.ts';
import * as placementShortfall from './migrations/20261130T0100_cloud_placement_shortfall.ts';
import * as catalogueDelete from './migrations/20261130T0101_cloud_catalogue_delete.ts';
import * as referenceIndexes from './migrations/20261202T0317_cloud_reference_indexes.ts';
import { placementRoutes } from './placement/routes.ts';
import { cloudRoutes } from './routes.ts';
import { CloudService } from './service.ts';
import './tables.ts';
import './permissions.ts';

export const cloudModule = defineModule({
  name: 'cloud',
  permissions: [
    { name: 'cloud.read', roles: ['platform_admin', 'leader', 'auditor', 'supervisor'], tenantRoles: ['department_admin', 'department_staff'] },
    { name: 'cloud.manage', roles: ['platform_admin'] },
    { name: 'cloud.systems.manage', roles: ['platform_admin'], tenantRoles: ['department_admin'] },
  ],
  migrations: {
    '20261129T0900_cloud_inventory': inventory, '20261129T0901_cloud_tariff': tariff, '20261129T0905_cloud_placement': placement,
    '20261130T0100_cloud_placement_shortfall': placementShortfall,
    '20261130T0101_cloud_catalogue_delete': catalogueDelete,
    '20261202T0317_cloud_reference_indexes': referenceIndexes,
  },
  createService: ({ db, clock, services }) => new CloudService({ db, clock, audit: serviceOf<AuditService>({ services }, 'audit') }),
  routes: (app, services) => {
    const cloud = services.cloud as CloudService;
    cloudRoutes(app, cloud);
    placementRoutes(app, cloud);
  },
  demo: async ({ service }, options) => service.seedDemo(options),
});
