// The real application in-process on the run's database, and a small client for app.inject.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import type { App } from '../../src/http/types.ts';
import type { Services } from '../../src/services.ts';
import type { Role } from '../../src/shared/access.ts';
import { testDb } from './db.ts';
import { newUser } from './factories.ts';

const runId = randomBytes(4).toString('hex');
let built: Promise<{ app: App; services: Services; config: Config }> | undefined;

export function testConfig(overrides: Partial<Config> = {}): Config {
  // Every in-process request comes from 127.0.0.1, so the per-address sign-in throttle and captcha are set out of the
  // suite's way, as is the sign-in queue (tests of those build their own app).
  const env: Record<string, string> = { GOVCLOUD_LOGIN_FAILURES_PER_ADDRESS: '100000', GOVCLOUD_LOGIN_CAPTCHA_AFTER_ADDRESS: '100000', GOVCLOUD_LOGIN_QUEUE: '100000' };
  // checkpoints of this run's database go to a file of this run, never to a data directory's
  const runDir = path.join(os.tmpdir(), `govcloud-test-${process.pid}-${runId}`);
  env.GOVCLOUD_AUDIT_CHECKPOINT_FILE = path.join(runDir, 'audit-checkpoints.log');
  env.GOVCLOUD_AUDIT_SIGNING_KEY = path.join(runDir, 'audit-signing-key.pem');
  env.GOVCLOUD_FILES_DIR = path.join(runDir, 'files');
  return { ...loadConfig({ GOVCLOUD_BODY_LIMIT: '65536', ...env }), ...overrides };
}

/** One app per run (routes and services are stateless apart from caches). */
export async function testApp() {
  built ??= (async () => {
    const { db } = await testDb();
    const config = testConfig();
    const { app, services } = await buildApp({ db, config, serveWeb: false });
    return { app, services, config };
  })();
  return built;
}

export interface Session {
  cookie: string;
  csrfToken: string;
}

export class Client {
  constructor(
    readonly app: App,
    readonly session?: Session,
    readonly bearer?: string,
  ) {}

  request(method: InjectOptions['method'], url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const h: Record<string, string> = { ...headers };
    if (this.session) {
      h.cookie = this.session.cookie;
      if (method !== 'GET' && method !== 'HEAD') h['x-csrf-token'] ??= this.session.csrfToken;
    }
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    return this.app.inject({ method, url, headers: h, ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }) });
  }

  get(url: string) {
    return this.request('GET', url);
  }
  post(url: string, body: unknown = {}) {
    return this.request('POST', url, body);
  }
  delete(url: string) {
    return this.request('DELETE', url);
  }
}

/** Signs in through the real route and returns a client carrying the session cookie and CSRF token. */
export async function login(app: App, username: string, password: string): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login failed (${res.statusCode}): ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'govcloud_sid');
  return new Client(app, { cookie: `govcloud_sid=${cookie!.value}`, csrfToken: res.json().csrfToken });
}

/** A fresh user holding `grants`, signed in through the real route on the run's app. */
export async function signedInWith(grants: { role: Role; regionCode: string }[]): Promise<Client> {
  const [{ app }, { db }] = await Promise.all([testApp(), testDb()]);
  const user = await newUser(db, { grants });
  return login(app, user.username, user.password);
}
