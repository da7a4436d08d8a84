// SQL for departments (tenants).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function findDepartment(db: Db, id: string) {
  return db
    .selectFrom('department as d')
    .innerJoin('region as r', 'r.code', 'd.region_code')
    .select(['d.id', 'd.code', 'd.name', 'd.region_code', 'r.path as region_path', 'r.name as region_name'])
    .where('d.id', '=', id)
    .executeTakeFirst();
}
