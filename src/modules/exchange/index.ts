// Public face of the exchange module.
export { exchangeModule } from './module.ts';
export { authenticateClient, clientActor, type ExchangeClient } from './auth.ts';
export type { ExchangeService } from './service.ts';
export type { ExchangeStats, ExchangeStatsRow } from './schema.ts';
export { RateLimiter } from './rate-limit.ts';
