// The core's contribution to 我的待办: accounts awaiting activation (no password set yet) and accounts locked by
// failed sign-ins, that the caller manages — in their users.manage jurisdiction and, unless they may manage
// departments themselves (platform level), in their own department and its sub-departments.
import { sql, type Kysely } from 'kysely';
import { inScope } from '../../db/jurisdiction.ts';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { TodoItem, TodoProvider } from '../../platform/module.ts';
import { hasPermission, requireScope, type Actor } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { descendantIds } from '../departments/index.ts';

/** An account should be activated within this many working days of its creation. */
export const ACTIVATION_WORKING_DAYS = 3;

export interface AccountsTodoDeps {
  db: Kysely<Database>;
  clock: Clock;
  /** The working-day deadline N days after an ISO date (services.calendar.addWorkingDays). */
  addWorkingDays(date: string, n: number): { date: string };
}

export function accountsTodoProvider({ db, clock, addWorkingDays }: AccountsTodoDeps): TodoProvider {
  async function waiting(actor: Actor) {
    const scope = requireScope(actor, 'users.manage');
    const tenant = !hasPermission(actor, 'departments.manage') && actor.departmentId ? await descendantIds(db, actor.departmentId) : null;
    const now = clock.now();
    return db
      .selectFrom('app_user as u')
      .leftJoin('department as d', 'd.id', 'u.department_id')
      .where((eb) => inScope(eb, eb.fn.coalesce('d.region_code', 'u.region_code'), scope))
      .where('u.kind', '=', 'staff')
      .where('u.status', '=', 'active')
      .where('u.id', '!=', actor.userId)
      .where((eb) => eb.or([eb('u.password_hash', 'is', null), eb('u.locked_until', '>', now)]))
      .$if(tenant !== null, (qb) => qb.where('u.department_id', 'in', tenant!));
  }
  const allowed = (ctx: RequestContext): ctx is RequestContext & { actor: Actor } => ctx.actor !== undefined && hasPermission(ctx.actor, 'users.manage');
  return {
    async list(ctx, { limit }): Promise<TodoItem[]> {
      if (!allowed(ctx)) return [];
      const rows = await (await waiting(ctx.actor))
        .select(['u.id', 'u.username', 'u.display_name', 'u.locked_until', 'u.created_at', sql<boolean>`u.password_hash IS NULL`.as('awaiting_activation')])
        .orderBy('u.created_at')
        .orderBy('u.id')
        .limit(limit)
        .execute();
      return rows.map((r) => {
        const activation = r.awaiting_activation;
        // created in China's day: the count starts the next working day
        const createdDay = new Date(r.created_at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
        return {
          module: 'accounts',
          kind: activation ? 'account.activation' : 'account.locked',
          id: r.id,
          title: `${r.display_name} (${r.username})`,
          deadline: activation ? addWorkingDays(createdDay, ACTIVATION_WORKING_DAYS).date : r.locked_until!.toISOString(),
          link: `/users?q=${encodeURIComponent(r.username)}`,
          createdAt: r.created_at.toISOString(),
        };
      });
    },
    async count(ctx) {
      if (!allowed(ctx)) return 0;
      const row = await (await waiting(ctx.actor)).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
