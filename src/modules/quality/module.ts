// Manifest of the quality module: resource quality figures and the departments' ranking (质量评估与排名).
import type { CalendarService } from '../calendar/index.ts';
import { defineModule, serviceOf } from '../../platform/module.ts';
import * as indexes from './migrations/20261127T1451_quality_indexes.ts';
import { qualityRoutes } from './routes.ts';
import { QualityService } from './service.ts';
import './permissions.ts';

export const qualityModule = defineModule({
  name: 'quality',
  permissions: [{ name: 'quality.read', roles: ['platform_admin', 'security_admin', 'audit_admin', 'department_admin', 'department_staff', 'community_worker', 'supervisor', 'auditor', 'leader'] }],
  migrations: { '20261127T1451_quality_indexes': indexes },
  createService: (deps) => new QualityService(deps.db, serviceOf<CalendarService>(deps, 'calendar'), deps.clock),
  routes: (app, services) => qualityRoutes(app, services.quality as QualityService),
});
