// The jobs manifest: the schedules that replaced server.ts's timers run, and start() builds and stops the workers.
import { describe, expect, it } from 'vitest';
import { testApp, testConfig } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { ManualClock } from '../../platform/clock.ts';
import { jobsModule } from './module.ts';

async function deps(databaseUrl: string | undefined) {
  const [{ db }, { services }] = await Promise.all([testDb(), testApp()]);
  const all = services as unknown as Record<string, unknown>;
  return { db, config: { ...testConfig(), databaseUrl }, clock: new ManualClock(), services: all, service: services.jobs };
}

describe('jobs manifest', () => {
  it('schedules the session purge, the job purge, and ANALYZE only on PGlite; each runs', async () => {
    const onPglite = jobsModule.schedules!(await deps(undefined));
    expect(onPglite.map((s) => [s.name, s.cron])).toEqual([
      ['auth.purge', '*/10 * * * *'],
      ['jobs.purge', '17 3 * * *'],
      ['db.analyze', '0 */6 * * *'],
    ]);
    for (const schedule of onPglite) await schedule.run();
    const onPostgres = jobsModule.schedules!(await deps('postgres://db.example/govcloud'));
    expect(onPostgres.map((s) => s.name)).toEqual(['auth.purge', 'jobs.purge']);
  });

  it('starts the registered modules\' background work and stops it', async () => {
    const running = await jobsModule.start!(await deps(undefined));
    await running.stop();
  });
});
