// The cloud inventory at demo size on PGlite: seeding the demo (7 hosts, 101 legacy rooms, ~60 systems and their VMs
// placed and charged), then the overview's host list, a first page of VMs and the consolidation report. Run alone
// with `npx tsx bench/cloud.ts`; `npm run bench` adds the rows.
import { loadConfig } from '../src/config.ts';
import { openPglite } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { CloudService } from '../src/modules/cloud/index.ts';
import { LEGACY_ROOM_DEPARTMENTS } from '../src/modules/cloud/demo-data.ts';
import type { DepartmentService } from '../src/modules/departments/index.ts';
import { importRegions } from '../src/modules/regions/index.ts';
import { createServices } from '../src/services.ts';
import { systemActorContext } from '../src/shared/context.ts';

export interface CloudRow {
  figure: string;
  value: number;
  unit: string;
  target?: string;
}

async function time<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await run();
  return { ms: performance.now() - started, result };
}

export async function cloudFigures(): Promise<CloudRow[]> {
  const handle = openPglite(undefined);
  try {
    const db = handle.db;
    await migrateToLatest(db);
    await importRegions(db, '6505');
    const services = createServices(db, loadConfig({}));
    const ctx = systemActorContext();
    await (services.departments as DepartmentService).createMany(ctx, LEGACY_ROOM_DEPARTMENTS.map((k) => ({ code: `6505-${k}`, name: `哈密市${k}`, kind: 'government', regionCode: '6505' })));
    const cloud = services.cloud as CloudService;
    const seed = await time(() => cloud.seedDemo({ prefecture: '6505' }));
    const again = await time(() => cloud.seedDemo({ prefecture: '6505' }));
    const hosts = await time(() => cloud.inventory.hosts(ctx, { limit: 50 }));
    const vms = await time(() => cloud.workloads.vms(ctx, { limit: 50 }));
    const report = await time(() => cloud.consolidation(ctx));
    return [
      { figure: `cloud: demo seed (${hosts.result.total} hosts, ${report.result.before.rooms} legacy rooms, ${vms.result.total} VMs placed and charged), PGlite`, value: Math.round(seed.ms), unit: 'ms', target: '≤ 30,000 ms' },
      { figure: 'cloud: demo seed again (nothing to do), PGlite', value: Math.round(again.ms), unit: 'ms' },
      { figure: 'cloud: host list with utilisation, PGlite', value: Math.round(hosts.ms), unit: 'ms' },
      { figure: 'cloud: first page of VMs (50) with total, PGlite', value: Math.round(vms.ms), unit: 'ms' },
      { figure: 'cloud: consolidation report, PGlite', value: Math.round(report.ms), unit: 'ms' },
      { figure: 'cloud: estimated cost saved per year (demo, cloud_tariff defaults)', value: Math.round(report.result.saved.annualCostYuan), unit: 'yuan' },
      { figure: 'cloud: estimated energy saved per year (demo)', value: Math.round(report.result.saved.annualEnergyKwh), unit: 'kWh' },
    ];
  } finally {
    await handle.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await cloudFigures()) {
    console.log(`${row.figure.padEnd(96)} ${String(row.value).padStart(10)} ${row.unit}${row.target ? `   target ${row.target}` : ''}`);
  }
}
