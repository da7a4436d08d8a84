// Quiet hours (免打扰时段): no non-urgent SMS between 22:00 and 08:00 Beijing time; such messages wait until 08:00.
/** China has one time zone and no daylight saving: Asia/Shanghai is UTC+8 all year. */
const SHANGHAI_OFFSET_MS = 8 * 3600_000;
export const QUIET_FROM_HOUR = 22;
export const QUIET_UNTIL_HOUR = 8;

/** The instant quiet hours end, when `now` falls inside them; null when a message may go now. */
export function quietHoursEnd(now: Date): Date | null {
  const local = new Date(now.getTime() + SHANGHAI_OFFSET_MS);
  const hour = local.getUTCHours();
  if (hour >= QUIET_UNTIL_HOUR && hour < QUIET_FROM_HOUR) return null;
  const morning = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), QUIET_UNTIL_HOUR) - SHANGHAI_OFFSET_MS;
  // before 08:00 it is this morning; from 22:00 it is tomorrow's
  return new Date(hour < QUIET_UNTIL_HOUR ? morning : morning + 24 * 3600_000);
}
