// The one validated configuration module: every setting GovCloud reads from the environment.
import os from 'node:os';
import path from 'node:path';

export interface Config {
  /** PORT — TCP port the HTTP server listens on. Default 3000. */
  port: number;
  /** HOST — interface to bind. Default 0.0.0.0 (all interfaces). */
  host: string;
  /** GOVCLOUD_DATA_DIR — PGlite data directory used when DATABASE_URL is unset. Default ./data. */
  dataDir: string;
  /** DATABASE_URL — postgres://… connection string; when set, PostgreSQL ≥ 15 is used instead of PGlite. */
  databaseUrl: string | undefined;
  /** GOVCLOUD_DB_POOL_SIZE — PostgreSQL pool size. Default 10. */
  dbPoolSize: number;
  /** GOVCLOUD_SESSION_IDLE_MINUTES — idle timeout of a console session in minutes. Default 30. */
  sessionIdleMinutes: number;
  /** GOVCLOUD_SESSION_MAX_HOURS — absolute lifetime of a session in hours. Default 12. */
  sessionMaxHours: number;
  /** GOVCLOUD_LOGIN_FAILURES_PER_ADDRESS — failed sign-ins one client address may make in 10 minutes, across all accounts. Default 30. */
  loginFailuresPerAddress: number;
  /** GOVCLOUD_LOGIN_CAPTCHA_AFTER — failed sign-ins for one user name after which a captcha is required. Default 3. */
  loginCaptchaAfter: number;
  /** GOVCLOUD_LOGIN_CAPTCHA_AFTER_ADDRESS — failed sign-ins from one address in 10 minutes after which every sign-in from it needs a captcha. Default 10. */
  loginCaptchaAfterAddress: number;
  /** GOVCLOUD_LOGIN_CONCURRENCY — sign-ins (argon2 checks) one node processes at once. Default: the number of CPU cores. */
  loginConcurrency: number;
  /** GOVCLOUD_LOGIN_QUEUE — sign-ins that may wait for a turn; beyond, 429 auth.busy. Default 64 (about a second of waiting on 2 cores). */
  loginQueue: number;
  /** GOVCLOUD_COOKIE_SECURE — mark the session cookie Secure (set true behind HTTPS). Default false. */
  cookieSecure: boolean;
  /** GOVCLOUD_BODY_LIMIT — largest accepted request body in bytes. Default 1048576 (1 MiB). */
  bodyLimit: number;
  /** GOVCLOUD_PREFECTURE — division code of the prefecture the demo seeds. Default 6505 (哈密市). */
  prefecture: string;
  /** GOVCLOUD_SEED_DEMO — seed demo departments and accounts into an empty database at start. Default true. */
  seedDemo: boolean;
  /**
   * GOVCLOUD_DEMO_RESIDENTS — residents the digital community's demo registers on first start (0–5,000,000; also the
   * default of `govcloud seed demo --residents`). Default 50000; a small number starts a demo or a test in seconds.
   */
  demoResidents: number;
  /** LOG_LEVEL — fatal|error|warn|info|debug|trace|silent. Default info. */
  logLevel: string;
  /** GOVCLOUD_TRUST_PROXY — trust X-Forwarded-For from a reverse proxy for client addresses. Default false. */
  trustProxy: boolean;
  /**
   * GOVCLOUD_ALLOWED_ORIGINS — comma-separated origins (`https://gov.example.cn`) whose pages may write with a session
   * cookie besides this server's own host. Default none.
   */
  allowedOrigins: string[];
  /** GOVCLOUD_HEADERS_TIMEOUT_MS — time a client has to send the request line and headers. Default 10000. */
  headersTimeoutMs: number;
  /** GOVCLOUD_REQUEST_TIMEOUT_MS — time a client has to send the whole request, body included. Default 30000. */
  requestTimeoutMs: number;
  /**
   * The carrier's SMS centre, reached over SMPP 3.4. Unset (no GOVCLOUD_SMPP_HOST): `serve` starts an SMS centre
   * in-process on loopback and prints what each number receives, so sign-in codes can be followed in a demo.
   */
  smpp: SmppConfig | undefined;
  /** GOVCLOUD_ADMIN_SECOND_FACTOR — administrators (users.manage) with a phone confirm sign-in with an SMS code. Default true. */
  adminSecondFactor: boolean;
  /** GOVCLOUD_SMS_WINDOW — most submit_sm awaiting the SMS centre's response at once (its window). Default 10. */
  smsWindow: number;
  /** GOVCLOUD_SMS_RATE — most messages (segments) per second handed to the SMS centre. Default 1000. */
  smsRatePerSecond: number;
  /** GOVCLOUD_EXCHANGE_UPSTREAM_TIMEOUT_MS — how long the exchange gateway waits for a provider's upstream endpoint (then 504). Default 5000. */
  exchangeUpstreamTimeoutMs: number;
  /** Signed checkpoints of the audit chain head, kept outside the database (see AuditCheckpointConfig). */
  auditCheckpoints: AuditCheckpointConfig;
  /**
   * GOVCLOUD_FILES_DIR — where uploaded files' contents are stored (content-addressed). Default <GOVCLOUD_DATA_DIR>/files;
   * set it with DATABASE_URL so every node sees the same store (a shared mount).
   */
  filesDir: string;
}

export interface AuditCheckpointConfig {
  /**
   * GOVCLOUD_AUDIT_CHECKPOINT_FILE — the append-only file checkpoints are written to; put it where the database's
   * administrators cannot rewrite it (another host's mount, a WORM volume, a log shipper's input). Default
   * <GOVCLOUD_DATA_DIR>/audit-checkpoints.log.
   */
  file: string;
  /**
   * GOVCLOUD_AUDIT_SIGNING_KEY — PEM file of the Ed25519 private key that signs checkpoints; created (mode 0600) on
   * first start when missing. Default <GOVCLOUD_DATA_DIR>/audit-signing-key.pem.
   */
  signingKeyFile: string;
  /**
   * GOVCLOUD_AUDIT_PUBLIC_KEY — PEM file of the public key checkpoints are verified with. Default: derived from the
   * signing key (set it when verifying on a machine that must not hold the private key).
   */
  publicKeyFile: string | undefined;
  /** GOVCLOUD_AUDIT_CHECKPOINT_SECONDS — how often a checkpoint is written when the chain has grown (a schedule, in whole minutes, rounded up); 0 = only at start, at shutdown and on demand. Default 60. */
  intervalSeconds: number;
}

export interface SmppConfig {
  /** GOVCLOUD_SMPP_HOST — host name or address of the SMS centre. */
  host: string;
  /** GOVCLOUD_SMPP_PORT — its SMPP port. Default 2775. */
  port: number;
  /** GOVCLOUD_SMPP_SYSTEM_ID — the account (system_id) the carrier issued; required with GOVCLOUD_SMPP_HOST. */
  systemId: string;
  /** GOVCLOUD_SMPP_PASSWORD — its password (at most 8 characters in SMPP 3.4); required with GOVCLOUD_SMPP_HOST. */
  password: string;
  /** GOVCLOUD_SMPP_SOURCE_ADDR — the sender number shown on handsets (e.g. a 1069… service number). Default 10690000. */
  sourceAddr: string;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`);
}

function origins(env: Env, name: string): string[] {
  const raw = env[name]?.trim();
  if (!raw) return [];
  return raw.split(',').map((entry) => {
    const text = entry.trim();
    let url: URL | undefined;
    try {
      url = new URL(text);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== text.replace(/\/$/, '')) {
      throw new ConfigError(name, `must list origins such as https://gov.example.cn (scheme, host, optional port; no path), got "${text}"`);
    }
    return url.origin;
  });
}

function smppConfig(env: Env): SmppConfig | undefined {
  const host = env.GOVCLOUD_SMPP_HOST?.trim();
  if (!host) return undefined;
  if (!/^[\w.:-]+$/.test(host)) throw new ConfigError('GOVCLOUD_SMPP_HOST', `is not a host name or address: "${host}"`);
  const systemId = env.GOVCLOUD_SMPP_SYSTEM_ID?.trim();
  if (!systemId || systemId.length > 15) throw new ConfigError('GOVCLOUD_SMPP_SYSTEM_ID', 'must be set (1–15 characters) when GOVCLOUD_SMPP_HOST is set');
  const password = env.GOVCLOUD_SMPP_PASSWORD ?? '';
  if (password === '' || password.length > 8) throw new ConfigError('GOVCLOUD_SMPP_PASSWORD', 'must be set (1–8 characters) when GOVCLOUD_SMPP_HOST is set');
  const sourceAddr = env.GOVCLOUD_SMPP_SOURCE_ADDR?.trim() || '10690000';
  if (!/^\+?\d{3,20}$/.test(sourceAddr)) throw new ConfigError('GOVCLOUD_SMPP_SOURCE_ADDR', `must be a number of 3–20 digits, got "${sourceAddr}"`);
  return { host, port: int(env, 'GOVCLOUD_SMPP_PORT', 2775, 1, 65535), systemId, password, sourceAddr };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: Env = process.env): Config {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(databaseUrl);
    } catch {
      throw new ConfigError('DATABASE_URL', 'is not a URL; expected postgres://user:password@host:5432/database');
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      throw new ConfigError('DATABASE_URL', `must start with postgres:// or postgresql://, got "${url.protocol}"`);
    }
  }
  const host = env.HOST?.trim() || '0.0.0.0';
  if (!/^[\w.:-]+$/.test(host)) throw new ConfigError('HOST', `is not a host name or address: "${host}"`);
  const prefecture = env.GOVCLOUD_PREFECTURE?.trim() || '6505';
  if (!/^\d{4}$/.test(prefecture)) throw new ConfigError('GOVCLOUD_PREFECTURE', `must be a 4-digit prefecture code, got "${prefecture}"`);
  const headersTimeoutMs = int(env, 'GOVCLOUD_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000);
  const requestTimeoutMs = int(env, 'GOVCLOUD_REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000);
  if (requestTimeoutMs < headersTimeoutMs) throw new ConfigError('GOVCLOUD_REQUEST_TIMEOUT_MS', `must be at least GOVCLOUD_HEADERS_TIMEOUT_MS (${headersTimeoutMs})`);
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);

  const dataDir = path.resolve(env.GOVCLOUD_DATA_DIR?.trim() || './data');
  const file = (name: string, fallback: string) => path.resolve(env[name]?.trim() || fallback);
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host,
    dataDir,
    databaseUrl,
    dbPoolSize: int(env, 'GOVCLOUD_DB_POOL_SIZE', 10, 1, 500),
    sessionIdleMinutes: int(env, 'GOVCLOUD_SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    sessionMaxHours: int(env, 'GOVCLOUD_SESSION_MAX_HOURS', 12, 1, 24 * 30),
    loginFailuresPerAddress: int(env, 'GOVCLOUD_LOGIN_FAILURES_PER_ADDRESS', 30, 1, 100_000),
    loginCaptchaAfter: int(env, 'GOVCLOUD_LOGIN_CAPTCHA_AFTER', 3, 1, 100_000),
    loginCaptchaAfterAddress: int(env, 'GOVCLOUD_LOGIN_CAPTCHA_AFTER_ADDRESS', 10, 1, 100_000),
    loginConcurrency: int(env, 'GOVCLOUD_LOGIN_CONCURRENCY', os.availableParallelism(), 1, 1000),
    loginQueue: int(env, 'GOVCLOUD_LOGIN_QUEUE', 64, 0, 100_000),
    cookieSecure: bool(env, 'GOVCLOUD_COOKIE_SECURE', false),
    bodyLimit: int(env, 'GOVCLOUD_BODY_LIMIT', 1024 * 1024, 1024, 100 * 1024 * 1024),
    prefecture,
    seedDemo: bool(env, 'GOVCLOUD_SEED_DEMO', true),
    demoResidents: int(env, 'GOVCLOUD_DEMO_RESIDENTS', 50_000, 0, 5_000_000),
    logLevel,
    trustProxy: bool(env, 'GOVCLOUD_TRUST_PROXY', false),
    allowedOrigins: origins(env, 'GOVCLOUD_ALLOWED_ORIGINS'),
    headersTimeoutMs,
    requestTimeoutMs,
    smpp: smppConfig(env),
    adminSecondFactor: bool(env, 'GOVCLOUD_ADMIN_SECOND_FACTOR', true),
    smsWindow: int(env, 'GOVCLOUD_SMS_WINDOW', 10, 1, 1000),
    smsRatePerSecond: int(env, 'GOVCLOUD_SMS_RATE', 1000, 1, 100_000),
    exchangeUpstreamTimeoutMs: int(env, 'GOVCLOUD_EXCHANGE_UPSTREAM_TIMEOUT_MS', 5000, 100, 120_000),
    auditCheckpoints: {
      file: file('GOVCLOUD_AUDIT_CHECKPOINT_FILE', path.join(dataDir, 'audit-checkpoints.log')),
      signingKeyFile: file('GOVCLOUD_AUDIT_SIGNING_KEY', path.join(dataDir, 'audit-signing-key.pem')),
      publicKeyFile: env.GOVCLOUD_AUDIT_PUBLIC_KEY?.trim() ? path.resolve(env.GOVCLOUD_AUDIT_PUBLIC_KEY.trim()) : undefined,
      intervalSeconds: int(env, 'GOVCLOUD_AUDIT_CHECKPOINT_SECONDS', 60, 0, 86_400),
    },
    filesDir: file('GOVCLOUD_FILES_DIR', path.join(dataDir, 'files')),
  };
}
