// Electronic supervision's own settings, read from the environment once when the service is built (fail fast on
// nonsense): the 督办 period of a yellow card and the late-entry limit, which each prefecture sets by its own rules.
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from './engine.ts';

function workingDays(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 60) throw new Error(`${name} must be a whole number of working days from 1 to 60; it is "${raw}".`);
  return n;
}

/**
 * GOVCLOUD_SUPERVISION_YELLOW_DAYS — working days a yellow card may stay open (督办期) before it turns red (default 5).
 * GOVCLOUD_SUPERVISION_LATE_ENTRY_DAYS — working days after the application within which a counter registration is
 * not a late entry (default 2).
 */
export function supervisionSettings(env: Readonly<Record<string, string | undefined>> = process.env): RuleSettings {
  return {
    yellowPeriodDays: workingDays(env, 'GOVCLOUD_SUPERVISION_YELLOW_DAYS', DEFAULT_RULE_SETTINGS.yellowPeriodDays),
    lateEntryDays: workingDays(env, 'GOVCLOUD_SUPERVISION_LATE_ENTRY_DAYS', DEFAULT_RULE_SETTINGS.lateEntryDays),
  };
}
