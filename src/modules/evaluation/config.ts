// The evaluation module's own setting (a module owns its config, D80), validated when the service is built.
import { ConfigError } from '../../config.ts';

export interface EvaluationConfig {
  /** GOVCLOUD_EVALUATION_FOLLOW_UP_DAYS — working days a department has to follow up a bad rating (1–30). Default 3. */
  followUpDays: number;
}

export function evaluationConfig(env: Record<string, string | undefined> = process.env): EvaluationConfig {
  const raw = env.GOVCLOUD_EVALUATION_FOLLOW_UP_DAYS?.trim();
  if (raw === undefined || raw === '') return { followUpDays: 3 };
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 30) throw new ConfigError('GOVCLOUD_EVALUATION_FOLLOW_UP_DAYS', `must be a whole number of working days 1–30, got "${raw}"`);
  return { followUpDays: n };
}
