// Uses other modules can declare, and the platform's own owner kind: a user's avatar.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { requireActor, requireScope, scopeCovers, type Permission } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { TYPES } from './detect.ts';
import type { FileOwner, FileUse, OwnerAccess } from './service.ts';

const MB = 1024 * 1024;

/** A portrait: 2 MB, PNG or JPEG. */
export const AVATAR_USE: FileUse = { maxBytes: 2 * MB, types: [TYPES.png, TYPES.jpeg] };
/** Application materials (申请材料): 20 MB, PDF, JPEG, PNG, Word or Excel (OOXML). */
export const MATERIAL_USE: FileUse = { maxBytes: 20 * MB, types: [TYPES.pdf, TYPES.jpeg, TYPES.png, TYPES.docx, TYPES.xlsx] };

/** Files attached to a user account: read with users.read, attached with users.manage, over the user's region. */
export function userFileOwner(db: Kysely<Database>): FileOwner {
  const access = async (ctx: RequestContext, userId: string, permission: Permission): Promise<OwnerAccess | null> => {
    const scope = requireScope(requireActor(ctx.actor), permission);
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(userId)) return null;
    const user = await db
      .selectFrom('app_user as u')
      .innerJoin('region as r', 'r.code', 'u.region_code')
      .select(['r.path', 'r.code'])
      .where('u.id', '=', userId)
      .executeTakeFirst();
    return user && scopeCovers(scope, user.path) ? { permission, scope, regionCode: user.code } : null;
  };
  return {
    uses: { avatar: AVATAR_USE },
    canRead: (ctx, id) => access(ctx, id, 'users.read'),
    canAttach: (ctx, id) => access(ctx, id, 'users.manage'),
  };
}
