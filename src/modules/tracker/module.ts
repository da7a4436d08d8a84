// Manifest of the tracker module: the citizen access record (数据使用记录, like Estonia's Data Tracker), covert grants.
import type { AuditService } from '../audit/index.ts';
import { defineModule } from '../../platform/module.ts';
import { trackerRoutes } from './routes.ts';
import { TrackerService } from './service.ts';
import { seedTrackerDemo } from './demo.ts';
import type { CitizenService } from '../citizens/index.ts';
import type { ExchangeService } from '../exchange/index.ts';
import './permissions.ts';

export const trackerModule = defineModule({
  name: 'tracker',
  permissions: [
    { name: 'tracker.read', roles: ['auditor', 'supervisor', 'audit_admin'] },
    { name: 'tracker.covert', roles: ['security_admin'] },
  ],
  createService: ({ db, clock, services }) => new TrackerService(db, services.audit as AuditService, clock),
  routes: (app, services) => trackerRoutes(app, services.tracker as TrackerService),
  demo: ({ db, services }) =>
    seedTrackerDemo(db, { exchange: services.exchange as ExchangeService, citizens: services.citizens as CitizenService, audit: services.audit as AuditService }),
});
