// The extranet demo in a rolled-back transaction: the vertical line, four rings (the prefecture departments' and one
// per county), an access node per connected department, coverage below 100 %, only the core probed (loopback), and a
// second run that writes nothing.
import { describe, expect, it } from 'vitest';
import { testApp, testConfig } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment } from '../../../test/support/factories.ts';
import { inRolledBackTransaction } from '../../../test/support/rollback.ts';
import { systemClock } from '../../platform/clock.ts';
import { systemActorContext } from '../../shared/context.ts';
import type { AuditService } from '../audit/index.ts';
import { extranetModule } from './module.ts';
import { ExtranetService } from './service.ts';

describe('extranet demo', () => {
  it('draws the vertical line and four rings, connects most departments, probes only the core on loopback, once', { timeout: 180_000 }, async () => {
    const { db } = await testDb();
    const { services } = await testApp();
    const audit = (services as unknown as { audit: AuditService }).audit;
    await inRolledBackTransaction(db, async (trx) => {
      const service = new ExtranetService({ db: trx, audit, clock: systemClock });
      const run = () => extranetModule.demo!({ db: trx, config: { ...testConfig(), port: 3456 }, clock: systemClock, services: {}, service }, { prefecture: '6505' });
      // departments at each level (a run of this file alone has no others under the prefecture)
      const township = await trx.selectFrom('region').select('code').where('level', '=', 3).where('path', 'like', '/6505/650502/%').orderBy('code').executeTakeFirstOrThrow();
      const community = await trx.selectFrom('region').select('code').where('level', '=', 4).where('path', 'like', '/6505/650521/%').orderBy('code').executeTakeFirstOrThrow();
      for (const regionCode of ['6505', '650502', '650522', township.code, community.code]) for (let i = 0; i < 10; i++) await newDepartment(trx, { regionCode });
      // a server of another test file may have seeded the demo into the shared database already (it then returns at
      // once), and other files leave nodes of their own: set the whole topology aside inside this rolled-back
      // transaction, so the demo draws it again here from nothing
      await trx.deleteFrom('extranet_connection').execute();
      await trx.deleteFrom('extranet_link').execute();
      await trx.deleteFrom('extranet_node').execute();
      // other test files' nodes and links share the database: look at what the demo added
      const had = new Set((await trx.selectFrom('extranet_node').select('id').execute()).map((n) => n.id));
      const hadLinks = new Set((await trx.selectFrom('extranet_link').select('id').execute()).map((l) => l.id));
      await run();
      const nodes = (await trx.selectFrom('extranet_node').select(['id', 'code', 'kind', 'probe_enabled', 'probe_host', 'probe_port']).execute()).filter((n) => !had.has(n.id));
      const core = nodes.find((n) => n.code === '6505-CORE')!;
      expect(core).toMatchObject({ kind: 'core', probe_enabled: true, probe_host: '127.0.0.1', probe_port: 3456 });
      expect(nodes.filter((n) => n.probe_enabled).map((n) => n.code)).toEqual(['6505-CORE']);
      const counties = await trx.selectFrom('region').select('code').where('parent_code', '=', '6505').execute();
      const links = (await trx.selectFrom('extranet_link').select(['id', 'kind', 'ring', 'bandwidth_mbps']).execute()).filter((l) => !hadLinks.has(l.id));
      expect(links.filter((l) => l.kind === 'vertical')).toHaveLength(1 + counties.length);
      const rings = new Set(links.filter((l) => l.kind === 'ring').map((l) => l.ring));
      expect(rings.size).toBe(1 + counties.length);
      expect(rings).toContain('市直部门环网');
      expect(new Set(links.filter((l) => l.kind === 'vertical').map((l) => l.bandwidth_mbps))).toEqual(new Set([10_000]));
      expect(new Set(links.filter((l) => l.kind === 'access').map((l) => l.bandwidth_mbps))).toEqual(new Set([100]));

      const ctx = systemActorContext();
      const bridges = new Set((await service.bridges(ctx)).items.map((b) => b.link.id));
      for (const l of links.filter((x) => x.kind === 'ring')) expect(bridges.has(l.id), `ring link ${l.ring}`).toBe(false);
      for (const l of links.filter((x) => x.kind === 'access')) expect(bridges.has(l.id)).toBe(true);
      const coverage = await service.coverage(ctx);
      expect(coverage.total.connected).toBeGreaterThan(0);
      expect(coverage.total.share).toBeGreaterThan(0.8);
      expect(coverage.total.share).toBeLessThan(1);

      const before = { nodes: nodes.length + had.size, links: links.length + hadLinks.size };
      await run();
      expect(Number((await trx.selectFrom('extranet_node').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(before.nodes);
      expect(Number((await trx.selectFrom('extranet_link').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(before.links);
    });
  });
});
