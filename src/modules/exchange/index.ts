// Public face of the exchange module.
export { exchangeModule } from './module.ts';
