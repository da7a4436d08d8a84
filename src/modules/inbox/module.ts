// Manifest of the inbox (站内信): services.inbox.send(trx, …) from any service; /api/inbox for each user.
import type { AuditService } from '../audit/index.ts';
import { defineModule } from '../../platform/module.ts';
import * as inboxMessages from './migrations/20261127T0912_inbox_messages.ts';
import { inboxRoutes } from './routes.ts';
import { InboxService } from './service.ts';
import './tables.ts';

export const inboxModule = defineModule({
  name: 'inbox',
  migrations: { '20261127T0912_inbox_messages': inboxMessages },
  createService: ({ db, clock, services }) => new InboxService(db, services.audit as AuditService, clock),
  routes: (app, services) => inboxRoutes(app, services.inbox as InboxService),
});
