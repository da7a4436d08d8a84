// Manifest of the exchange module (issue 7 part 4): the gateway consuming systems call, its tokens and statistics.
import type { AuditService } from '../audit/index.ts';
import { defineModule } from '../../platform/module.ts';
import * as tokensStats from './migrations/20261127T1431_exchange_tokens_stats.ts';
import { seedExchangeDemo } from './demo.ts';
import { exchangeRoutes } from './routes.ts';
import { ExchangeService } from './service.ts';
import './permissions.ts';
import './tables.ts';

export const exchangeModule = defineModule({
  name: 'exchange',
  permissions: [
    { name: 'exchange.stats', roles: ['leader'], tenantRoles: ['department_admin'] },
    { name: 'exchange.call', roles: [] },
  ],
  migrations: { '20261127T1431_exchange_tokens_stats': tokensStats },
  createService: ({ db, clock, config, services }) => new ExchangeService(db, services.audit as AuditService, clock, { upstreamTimeoutMs: config.exchangeUpstreamTimeoutMs }),
  routes: (app, services) => exchangeRoutes(app, services.exchange as ExchangeService),
  // statistics are counted in memory and flushed every few seconds: the rest is written at shutdown
  start: ({ service }) => ({ stop: () => service.close() }),
  demo: async ({ db, clock }) => void (await seedExchangeDemo(db, clock)),
  schedules: ({ service }) => [{ name: 'exchange.purge_tokens', cron: '23 4 * * *', run: async () => void (await service.purgeTokens()) }],
});
