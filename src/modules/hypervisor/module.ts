// Manifest of the hypervisor module (issue 10 §4): the libvirt driver behind the outbox topic cloud.vm_action, the
// reconciliation of libvirt with the database at start-up and on a schedule, and the host check / reconcile routes.
import { defineModule, serviceOf } from '../../platform/module.ts';
import type { AuditService } from '../audit/index.ts';
import { VM_ACTION_TOPIC, type VmActionMessage } from '../cloud/index.ts';
import type { OutboxService } from '../jobs/index.ts';
import { hypervisorConfig } from './config.ts';
import { closeConnections } from './libvirt.ts';
import { hypervisorRoutes } from './routes.ts';
import { HypervisorService } from './service.ts';

export const hypervisorModule = defineModule({
  name: 'hypervisor',
  createService: ({ db, clock, services }) =>
    new HypervisorService({ db, clock, audit: serviceOf<AuditService>({ services }, 'audit'), outbox: serviceOf<OutboxService>({ services }, 'outbox'), config: hypervisorConfig() }),
  routes: (app, services) => hypervisorRoutes(app, services.hypervisor as HypervisorService),
  outboxHandlers: ({ service }) => ({
    [VM_ACTION_TOPIC]: async (message) => void (await service.handle(message.payload as VmActionMessage, message.key)),
  }),
  schedules: ({ service }) => [{ name: 'hypervisor.reconcile', cron: service.deps.config.reconcileCron, run: async () => void (await service.reconcileAll()) }],
  start: ({ service }) => {
    // at start-up, in the background: a slow or absent libvirt must not hold the server back
    const first = service.reconcileAll().catch((e: unknown) => console.error('hypervisor: start-up reconciliation failed:', e instanceof Error ? e.message : e));
    return {
      async stop() {
        await first;
        closeConnections();
      },
    };
  },
});
