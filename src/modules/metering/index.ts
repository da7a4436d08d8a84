// Public face of metering and chargeback (issue 10 §5).
export { meteringModule } from './module.ts';
export { MeteringService, CATCH_UP_HOURS, usageProbeOf, type Chargeback, type ChargeRow, type Tariff, type TariffInput, type UsageProbe, type UsageRow } from './service.ts';
export { meterHour, rebuildMonth } from './usage.ts';
export { seedMeteringDemo } from './demo.ts';
export type * from './tables.ts';
