// The cloud module's service (issue 10 §1): the resource inventory and the consolidation report.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { AuditService } from '../audit/index.ts';

export interface CloudDeps {
  db: Kysely<Database>;
  audit: AuditService;
  clock: Clock;
}

export class CloudService {
  constructor(readonly deps: CloudDeps) {}
}
