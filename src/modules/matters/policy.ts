// Who sees and who changes supervised matters: matters.read over region subtrees (supervisor, leader, auditor);
// matters.manage over the holder's own department tree (the owning department's staff), which also lets them read.
import type { Clock } from '../../platform/clock.ts';
import { requireActor, scopeOf } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { forbidden } from '../../shared/errors.ts';
import type { Reach } from './repository.ts';
import './permissions.ts';

const NOWHERE: Reach = { paths: [], departments: [] };

/** The caller's reach for reading (read ∪ manage) and for changing (manage); throws when they hold neither. */
export function authOrThrow(ctx: RequestContext, clock: Clock): { view: Reach; manage: Reach } {
  const actor = requireActor(ctx.actor);
  const read = scopeOf(actor, 'matters.read', clock);
  const manage = scopeOf(actor, 'matters.manage', clock);
  if (!read && !manage) throw forbidden('auth.forbidden', 'Your roles include neither matters.read nor matters.manage.');
  const r = read ?? NOWHERE;
  const m = manage ? { paths: manage.paths, departments: manage.departments } : NOWHERE;
  return { view: { paths: [...r.paths, ...m.paths], departments: [...r.departments, ...m.departments] }, manage: m };
}
