// The SMS module's manifest: permissions, tables, the service (services.sms), routes, the gateway it starts and
// the outbox topic it handles.
import type { AuditService } from '../audit/index.ts';
import { defineModule } from '../../platform/module.ts';
import * as tables from './migrations/20261127T0920_sms_tables.ts';
import * as segmentCount from './migrations/20261128T0980_sms_segment_count.ts';
import * as leanQueue from './migrations/20261130T0120_sms_lean_queue.ts';
import * as mobileCheck from './migrations/20261201T0231_sms_mobile_check.ts';
import { smsRoutes } from './routes.ts';
import { DELIVER_MANY_TOPIC, DELIVER_TOPIC, SmsService, type OutboxPort } from './service.ts';
import { SmppGateway } from './smpp-gateway.ts';
import './tables.ts';
import './permissions.ts';

export const smsModule = defineModule({
  name: 'sms',
  permissions: [
    { name: 'sms.read', roles: [] },
    { name: 'sms.manage', roles: [] },
    { name: 'sms.send', roles: [] },
  ],
  migrations: {
    '20261127T0920_sms_tables': tables, '20261128T0980_sms_segment_count': segmentCount, '20261130T0120_sms_lean_queue': leanQueue,
    '20261201T0231_sms_mobile_check': mobileCheck,
  },
  createService: ({ db, clock, services }) => new SmsService(db, services.audit as AuditService, clock, services.outbox as OutboxPort | undefined),
  routes: (app, services) => smsRoutes(app, services.sms as SmsService),
  start: ({ service, smsChannel, config }) => {
    if (!smsChannel) return { stop: async () => undefined };
    const gateway = new SmppGateway({ ...smsChannel.settings, window: config.smsWindow, ratePerSecond: config.smsRatePerSecond });
    service.attach(gateway, smsChannel.local);
    return { stop: () => gateway.close() };
  },
  schedules: ({ service }) => [{ name: 'sms.purge_receipts', cron: '41 3 * * *', run: async () => void (await service.purgeReceipts()) }],
  outboxHandlers: ({ service }) => ({
    [DELIVER_TOPIC]: (message) => service.deliver((message.payload as { id: string }).id),
    [DELIVER_MANY_TOPIC]: (message) => service.deliverMany((message.payload as { ids: string[] }).ids),
  }),
});
