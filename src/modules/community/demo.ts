// Demo residents (filled in below).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DemoOptions } from '../../platform/module.ts';

export async function seedCommunityDemo(_db: Kysely<Database>, _options: DemoOptions): Promise<void> {}
