// Composition root: builds each module's service once, with only the collaborators it needs.
import type { Kysely } from 'kysely';
import type { Config } from './config.ts';
import type { Database } from './db/schema.ts';
import { AuthService, UserService } from './modules/accounts/index.ts';
import { AuditService } from './modules/audit/index.ts';

export interface Services {
  audit: AuditService;
  auth: AuthService;
  users: UserService;
}

export function createServices(db: Kysely<Database>, config: Config): Services {
  const audit = new AuditService(db);
  return {
    audit,
    auth: new AuthService(db, audit, { sessionIdleMinutes: config.sessionIdleMinutes, sessionMaxHours: config.sessionMaxHours }),
    users: new UserService(db, audit),
  };
}
