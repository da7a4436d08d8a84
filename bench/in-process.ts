// Bench figures measured in-process on the bench's data directory once the server has stopped (the data directory
// takes one process): attempts checked during the storm, the dashboard with its cache bypassed, and user search at
// 100,000 accounts. Requests go through the whole application (app.inject): routing, session, service, SQL.
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { buildApp } from '../src/http/app.ts';
import { MAX_FAILED_LOGINS } from '../src/modules/accounts/service.ts';
import { latencyStats, timeUs, type LatencyStats } from './latency.ts';
import { seedSearchUsers } from './search-users.ts';

const SAMPLES = 1000;
const WARM_UP = 10;

export interface InProcessFigures {
  checkedBeyondLockout: number;
  dashboardCached: LatencyStats;
  dashboardUncached: LatencyStats;
  search: LatencyStats;
  shortSearch: LatencyStats;
  unfiltered: LatencyStats;
}

async function sample(fn: (i: number) => Promise<unknown>, before?: () => void): Promise<LatencyStats> {
  const samples: number[] = [];
  for (let i = 0; i < WARM_UP + SAMPLES; i++) {
    before?.();
    const us = await timeUs(() => fn(i));
    if (i >= WARM_UP) samples.push(us);
  }
  return latencyStats(samples);
}

export async function inProcessFigures(opts: { dataDir: string; stormUser: string; adminUser: string; adminPassword: string; accounts: number }): Promise<InProcessFigures> {
  const config = loadConfig({ ...process.env, GOVCLOUD_DATA_DIR: opts.dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' });
  const handle = await openDatabase(config);
  try {
    const { db } = handle;
    // Every failure record of the storm's account is one password checked and found wrong; past the lockout
    // threshold, each is an attempt the lockout should have refused before hashing.
    const checked = await db
      .selectFrom('audit_log as a')
      .innerJoin('app_user as u', (join) => join.on(sql<boolean>`a.object_id = u.id::text`))
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('u.username', '=', opts.stormUser)
      .where('a.action', '=', 'auth.login')
      .where('a.outcome', '=', 'failure')
      .executeTakeFirstOrThrow();
    const checkedBeyondLockout = Math.max(0, Number(checked.n) - MAX_FAILED_LOGINS);

    const { app, services } = await buildApp({ db, config, logger: false, serveWeb: false });
    try {
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.1.2.3', payload: { username: opts.adminUser, password: opts.adminPassword } });
      if (login.statusCode !== 200) throw new Error(`in-process sign-in failed: ${login.statusCode} ${login.body}`);
      const cookie = login.cookies.find((c) => c.name === 'govcloud_sid')!;
      const get = async (url: string) => {
        const res = await app.inject({ method: 'GET', url, cookies: { govcloud_sid: cookie.value } });
        if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
      };
      const dashboardCached = await sample(() => get('/api/dashboard/summary'));
      const dashboardUncached = await sample(() => get('/api/dashboard/summary'), () => services.dashboard.invalidate());

      const department = await db.selectFrom('department').select('id').where('region_code', '=', '6505').orderBy('code').executeTakeFirstOrThrow();
      const existing = await db.selectFrom('app_user').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      await seedSearchUsers(db, { count: Math.max(0, opts.accounts - Number(existing.n)), departmentId: department.id, regionCode: '6505', prefix: 'bench.' });
      const searches = ['张伟明', 'xiu12345', '王丽娜', 'zhaoming', '刘强军'];
      const search = await sample((i) => get(`/api/users?limit=50&q=${encodeURIComponent(searches[i % searches.length]!)}`));
      const shortSearch = await sample((i) => get(`/api/users?limit=50&q=${encodeURIComponent(['张伟', '李芳', '陈静'][i % 3]!)}`));
      const unfiltered = await sample(() => get('/api/users?limit=50'));
      return { checkedBeyondLockout, dashboardCached, dashboardUncached, search, shortSearch, unfiltered };
    } finally {
      await app.close();
    }
  } finally {
    await handle.close();
  }
}
