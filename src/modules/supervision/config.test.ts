// The supervision settings from the environment: defaults, overrides, and a clear refusal of nonsense at start-up.
import { describe, expect, it } from 'vitest';
import { supervisionSettings } from './config.ts';

describe('supervision settings', () => {
  it('defaults to a 5-working-day 督办 period and a 2-working-day late-entry limit', () => {
    expect(supervisionSettings({})).toEqual({ yellowPeriodDays: 5, lateEntryDays: 2 });
  });

  it('takes each prefecture’s own limits', () => {
    expect(supervisionSettings({ GOVCLOUD_SUPERVISION_YELLOW_DAYS: '3', GOVCLOUD_SUPERVISION_LATE_ENTRY_DAYS: '1' })).toEqual({ yellowPeriodDays: 3, lateEntryDays: 1 });
  });

  it.each(['0', '-2', '2.5', 'five', '61'])('refuses %s naming the variable', (raw) => {
    expect(() => supervisionSettings({ GOVCLOUD_SUPERVISION_YELLOW_DAYS: raw })).toThrow(/GOVCLOUD_SUPERVISION_YELLOW_DAYS must be a whole number of working days/);
  });
});
