// Manifest of the feeds module (issue 7 §5): change-feed subscriptions, pull by cursor, signed webhooks through the
// outbox (topic datasets.committed in, feeds.deliver out).
import { defineModule, serviceOf } from '../../platform/module.ts';
import type { AuditService } from '../audit/index.ts';
import type { OutboxService } from '../jobs/index.ts';
import { feedsDemo } from './demo.ts';
import * as subscriptions from './migrations/20261127T1441_feeds_subscriptions.ts';
import * as referenceIndexes from './migrations/20261202T0308_feeds_reference_indexes.ts';
import { feedsRoutes } from './routes.ts';
import { COMMITTED_TOPIC, DELIVER_TOPIC, FeedsService, type CommittedEvent } from './service.ts';
import './tables.ts';
import './permissions.ts';

export const feedsModule = defineModule({
  name: 'feeds',
  permissions: [{ name: 'feeds.manage', roles: ['department_admin'] }],
  migrations: { '20261127T1441_feeds_subscriptions': subscriptions, '20261202T0308_feeds_reference_indexes': referenceIndexes },
  createService: (deps) => new FeedsService(deps.db, serviceOf<AuditService>(deps, 'audit'), serviceOf<OutboxService>(deps, 'outbox'), deps.clock),
  routes: (app, services) => feedsRoutes(app, services.feeds as FeedsService),
  outboxHandlers: ({ service }) => ({
    [COMMITTED_TOPIC]: async (message) => void (await service.onCommitted(message.payload as CommittedEvent)),
    [DELIVER_TOPIC]: (message) => service.deliver((message.payload as { subscriptionId: string }).subscriptionId),
  }),
  schedules: ({ service }) => [{ name: 'feeds.catch_up', cron: '*/15 * * * *', run: async () => void (await service.catchUp()) }],
  demo: (deps, options) => feedsDemo(deps, options),
});
