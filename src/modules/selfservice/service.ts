// The self-service module's service: request writes, lifecycle actions, reads, and the notifications.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { AuditService } from '../audit/index.ts';
import type { InboxService } from '../inbox/index.ts';
import type { OutboxService } from '../jobs/index.ts';
import type { SmsService } from '../sms/index.ts';
import { Lifecycle } from './lifecycle.ts';
import { Notifier, type SettledMessage } from './notify.ts';
import { RequestReader } from './reads.ts';
import { RequestWriter } from './requests.ts';

export interface SelfserviceDeps {
  db: Kysely<Database>;
  audit: AuditService;
  outbox: OutboxService;
  inbox: InboxService;
  sms?: SmsService;
  clock: Clock;
}

export class SelfserviceService {
  readonly requests: RequestWriter;
  readonly reads: RequestReader;
  readonly lifecycle: Lifecycle;
  readonly notifier: Notifier;

  constructor(private readonly deps: SelfserviceDeps) {
    this.notifier = new Notifier(deps.inbox, deps.sms);
    this.requests = new RequestWriter({ db: deps.db, audit: deps.audit, outbox: deps.outbox, notifier: this.notifier, clock: deps.clock });
    this.reads = new RequestReader(deps.db, deps.audit, deps.clock);
    this.lifecycle = new Lifecycle({ db: deps.db, audit: deps.audit, outbox: deps.outbox, clock: deps.clock });
  }

  /** The hypervisor settled an action (outbox `cloud.vm_action_settled`): tell the requester, once. */
  async onSettled(message: SettledMessage, key: string): Promise<void> {
    await this.deps.db.transaction().execute((trx) => this.notifier.settled(trx, message, key));
  }
}
