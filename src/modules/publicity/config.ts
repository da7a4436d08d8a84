// The public channels' own settings, read from the environment once when the service is built (fail fast on nonsense).

export interface PublicitySettings {
  /** GOVCLOUD_PUBLIC_LOOKUPS_PER_MINUTE — progress lookups one client address may make per minute on one node. Default 20. */
  lookupsPerMinute: number;
  /** GOVCLOUD_PUBLIC_CAPTCHA_AFTER — lookups that found nothing, from one address in 15 minutes, after which a captcha is required. Default 5. */
  captchaAfterMisses: number;
  /** GOVCLOUD_BIGSCREEN_POLL_MS — how often each node re-reads the big screen's figures while screens are connected. Default 400. */
  screenPollMs: number;
  /** GOVCLOUD_BIGSCREEN_MAX_STREAMS — SSE connections one node serves at once. Default 1000. */
  maxStreams: number;
}

function positive(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number; it is "${raw}".`);
  return n;
}

export function publicitySettings(env: Readonly<Record<string, string | undefined>> = process.env): PublicitySettings {
  return {
    lookupsPerMinute: positive(env, 'GOVCLOUD_PUBLIC_LOOKUPS_PER_MINUTE', 20),
    captchaAfterMisses: positive(env, 'GOVCLOUD_PUBLIC_CAPTCHA_AFTER', 5),
    screenPollMs: positive(env, 'GOVCLOUD_BIGSCREEN_POLL_MS', 400),
    maxStreams: positive(env, 'GOVCLOUD_BIGSCREEN_MAX_STREAMS', 1000),
  };
}
