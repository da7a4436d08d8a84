import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir.endsWith('/data')).toBe(true);
    expect(config.sessionIdleMinutes).toBe(30);
    expect(config.demoResidents).toBe(50_000);
  });

  it.each([
    ['PORT', 'abc', /PORT must be a whole number/],
    ['PORT', '70000', /PORT must be between 0 and 65535/],
    ['DATABASE_URL', 'mysql://x@y/z', /DATABASE_URL must start with postgres/],
    ['DATABASE_URL', 'not a url', /DATABASE_URL is not a URL/],
    ['GOVCLOUD_SESSION_IDLE_MINUTES', '0', /GOVCLOUD_SESSION_IDLE_MINUTES must be between/],
    ['GOVCLOUD_COOKIE_SECURE', 'maybe', /GOVCLOUD_COOKIE_SECURE must be true or false/],
    ['GOVCLOUD_PREFECTURE', '65', /GOVCLOUD_PREFECTURE must be a 4-digit/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/],
    ['HOST', 'a b', /HOST is not a host name/],
    ['GOVCLOUD_ALLOWED_ORIGINS', 'https://a.example/path', /GOVCLOUD_ALLOWED_ORIGINS must list origins/],
    ['GOVCLOUD_ALLOWED_ORIGINS', 'ftp://a.example', /GOVCLOUD_ALLOWED_ORIGINS must list origins/],
    ['GOVCLOUD_HEADERS_TIMEOUT_MS', '50', /GOVCLOUD_HEADERS_TIMEOUT_MS must be between/],
    ['GOVCLOUD_REQUEST_TIMEOUT_MS', '5000', /GOVCLOUD_REQUEST_TIMEOUT_MS must be at least/],
    ['GOVCLOUD_DEMO_RESIDENTS', 'many', /GOVCLOUD_DEMO_RESIDENTS must be a whole number/],
    ['GOVCLOUD_DEMO_RESIDENTS', '6000000', /GOVCLOUD_DEMO_RESIDENTS must be between 0 and 5000000/],
  ])('rejects %s=%s naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      GOVCLOUD_DATA_DIR: '/tmp/gc',
      DATABASE_URL: 'postgres://u:p@db:5432/gov',
      GOVCLOUD_SESSION_IDLE_MINUTES: '15',
      GOVCLOUD_COOKIE_SECURE: 'true',
      GOVCLOUD_SEED_DEMO: 'false',
      GOVCLOUD_DEMO_RESIDENTS: '2000',
      GOVCLOUD_ALLOWED_ORIGINS: 'https://gov.example.cn, http://localhost:5173/',
      GOVCLOUD_HEADERS_TIMEOUT_MS: '5000',
      GOVCLOUD_REQUEST_TIMEOUT_MS: '20000',
    });
    expect(config.allowedOrigins).toEqual(['https://gov.example.cn', 'http://localhost:5173']);
    expect(config).toMatchObject({ headersTimeoutMs: 5000, requestTimeoutMs: 20000 });
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', dataDir: '/tmp/gc', databaseUrl: 'postgres://u:p@db:5432/gov', sessionIdleMinutes: 15, cookieSecure: true, seedDemo: false, demoResidents: 2000 });
  });
});
