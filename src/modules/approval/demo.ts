// Demo data of administrative approval (filled in below).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DemoOptions } from '../../platform/module.ts';
import type { ApprovalService } from './service.ts';

export async function seedApprovalDemo(db: Kysely<Database>, service: ApprovalService, options: DemoOptions): Promise<void> {
  void db;
  void service;
  void options;
}
