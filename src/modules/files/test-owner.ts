// A file owner for tests: "cases" whose id starts with the region code they belong to ('650502-…').
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { requireActor, requireScope, scopeCovers, type Permission } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { TYPES } from './detect.ts';
import { MATERIAL_USE } from './owners.ts';
import type { FileOwner, OwnerAccess } from './service.ts';

export function testCaseOwner(db: Kysely<Database>, bulkBytes = 256 * 1024 * 1024): FileOwner {
  const access = async (ctx: RequestContext, id: string, permission: Permission): Promise<OwnerAccess | null> => {
    const scope = requireScope(requireActor(ctx.actor), permission);
    const region = await db.selectFrom('region').select(['code', 'path']).where('code', '=', id.split('-')[0]!).executeTakeFirst();
    return region && scopeCovers(scope, region.path) ? { permission, scope, regionCode: region.code } : null;
  };
  return {
    uses: { material: MATERIAL_USE, bulk: { maxBytes: bulkBytes, types: [TYPES.pdf] } },
    canRead: (ctx, id) => access(ctx, id, 'users.read'),
    canAttach: (ctx, id) => access(ctx, id, 'users.manage'),
  };
}
