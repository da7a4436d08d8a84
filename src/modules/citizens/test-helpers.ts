// Test helpers of the citizens module: an app wired to a real SMPP server on loopback, fresh numbers and ID numbers.
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { testConfig } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { buildApp } from '../../http/app.ts';
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';
import { idNumberCheckCharacter } from '../../shared/id-number.ts';
import { LocalSmsc, SmppSender } from '../sms/index.ts';

let seq = 0;
const run = process.pid % 1000;

/** A mobile number no other test of this run uses. */
export function newPhone(): string {
  return `19${String(run).padStart(3, '0')}${String(++seq + Math.floor(Math.random() * 1000) * 1000).padStart(6, '0')}`;
}

/** A valid ID number (伊州区, a birth date in 1960–2000) no other test of this run uses. */
export function newIdNumber(prefix = '650502'): string {
  const n = ++seq;
  const birth = `19${60 + (n % 40)}${String(1 + (n % 12)).padStart(2, '0')}${String(1 + (n % 28)).padStart(2, '0')}`;
  const body = `${prefix}${birth}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
  return body + idNumberCheckCharacter(body);
}

/** A client address of its own, so the per-address limit of one test does not reach another. */
export function newAddress(): string {
  const n = ++seq;
  return `10.${run % 250}.${Math.floor(n / 250) % 250}.${n % 250}`;
}

export const CITIZEN_PASSWORD = 'Qiao-Mai-Shan-7';

export const codeIn = (text: string): string => /(\d{6})/.exec(text)![1]!;

export interface CitizenApp {
  app: App;
  services: Services;
  smsc: LocalSmsc;
  sender: SmppSender;
  close(): Promise<void>;
}

/** The real app on the run's database with a real SMPP server in-process as its SMS channel. */
export async function citizenApp(options: { serveWeb?: boolean } = {}): Promise<CitizenApp> {
  const { db } = await testDb();
  const smsc = await LocalSmsc.start({ systemId: 'govcloud', password: 'test' });
  const sender = new SmppSender({ host: '127.0.0.1', port: smsc.port, systemId: 'govcloud', password: 'test', sourceAddr: '10690000', timeoutMs: 3_000 });
  const { app, services } = await buildApp({ db, config: testConfig(), serveWeb: options.serveWeb ?? false, sms: sender });
  return {
    app,
    services,
    smsc,
    sender,
    async close() {
      await app.close();
      await sender.close();
      await smsc.close();
    },
  };
}

/** A citizenApp started before the file's tests and closed after them (its fields are there once they run). */
export function useCitizenApp(): CitizenApp {
  const suite = {} as CitizenApp;
  beforeAll(async () => {
    Object.assign(suite, await citizenApp());
  });
  afterAll(() => suite.close?.());
  return suite;
}

/** A browser-like caller: one client address, and the session cookie and CSRF token once signed in. */
export class Caller {
  cookie: string | undefined;
  csrfToken: string | undefined;
  readonly address = newAddress();

  constructor(private readonly app: App) {}

  async request(method: InjectOptions['method'], url: string, body?: unknown): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrfToken && method !== 'GET') headers['x-csrf-token'] = this.csrfToken;
    const res = await this.app.inject({ method, url, headers, remoteAddress: this.address, ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }) });
    const sid = res.cookies.find((c) => c.name === 'govcloud_sid');
    if (sid?.value) this.cookie = `govcloud_sid=${sid.value}`;
    if (res.statusCode < 300 && typeof res.json === 'function' && res.headers['content-type']?.toString().includes('json')) {
      const token = (res.json() as { csrfToken?: string }).csrfToken;
      if (token) this.csrfToken = token;
    }
    return res;
  }
}

/** As if the minute since the last code to `phone` had passed (the per-minute limit is tested on its own). */
export async function letMinutePass(phone: string): Promise<void> {
  const { db } = await testDb();
  await db.updateTable('citizen_send_counter').set({ window_start: new Date(Date.now() - 61_000) }).where('key', '=', `phone-minute:${phone}`).execute();
}

/** Requests a code for `phone` and returns it as the SMS centre received it. */
export async function receiveCode(caller: Caller, smsc: LocalSmsc, phone: string, purpose: 'register' | 'sign_in' | 'change_phone'): Promise<string> {
  const arriving = smsc.next(phone);
  const res = await caller.request('POST', '/api/citizen/codes', { phone, purpose });
  if (res.statusCode !== 202) throw new Error(`code request failed (${res.statusCode}): ${res.body}`);
  return codeIn((await arriving).text);
}

/** Registers a fresh citizen through the real routes; the caller holds the new session. */
export async function registerCitizen(caller: Caller, smsc: LocalSmsc, input: { name?: string; idNumber?: string; phone?: string } = {}) {
  const phone = input.phone ?? newPhone();
  const idNumber = input.idNumber ?? newIdNumber();
  const name = input.name ?? '买买提·艾力';
  const code = await receiveCode(caller, smsc, phone, 'register');
  const res = await caller.request('POST', '/api/citizen/register', { name, idNumber, phone, password: CITIZEN_PASSWORD, code });
  if (res.statusCode !== 201) throw new Error(`registration failed (${res.statusCode}): ${res.body}`);
  return { phone, idNumber, name, profile: res.json().profile as { id: string; idNumberMasked: string; phoneMasked: string } };
}
