// The consolidation report's assumptions (issue 10 §7) as rows, not constants in code: PUE before and after, the
// electricity price, the yearly upkeep of a machine room and of a host. Defaults documented per row; an operator
// changes a value with one UPDATE and the report follows.
import { sql, type Kysely } from 'kysely';

export const TARIFF_DEFAULTS: readonly { code: string; value: number; unit: string; description: string }[] = [
  { code: 'hours_per_year', value: 8760, unit: 'h', description: '服务器全年运行小时数（24 × 365）' },
  { code: 'pue_legacy', value: 2.0, unit: '', description: '部门/社区小机房的电能使用效率 PUE（分体空调、无冷热通道，行业常见 1.8–2.5）' },
  { code: 'pue_datacenter', value: 1.4, unit: '', description: '云数据中心 PUE（《新型数据中心发展三年行动计划》新建大型数据中心目标 ≤ 1.3，取 1.4）' },
  { code: 'legacy_core_performance', value: 0.5, unit: '', description: '整合前服务器单核性能相对云宿主机的比例（2013–2016 年 Xeon E5 v2/v3 对 2021 年 Xeon Gold 6326，单核约 0.5）：换算迁移负载占用的宿主机核数' },
  { code: 'electricity_yuan_per_kwh', value: 0.45, unit: '元/kWh', description: '新疆一般工商业电价（约 0.40–0.50 元/kWh）' },
  { code: 'upkeep_department_room_yuan', value: 30000, unit: '元/年', description: '部门机房年运维费：空调维保、UPS 电池、消防、门禁、场地' },
  { code: 'upkeep_community_room_yuan', value: 8000, unit: '元/年', description: '社区机房（弱电间）年运维费' },
  { code: 'upkeep_datacenter_yuan', value: 300000, unit: '元/年', description: '云数据中心机房年运维费（分摊到本资源池）' },
  { code: 'upkeep_host_yuan', value: 12000, unit: '元/年', description: '每台云宿主机年维保费' },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE cloud_tariff (
      code          varchar(40) PRIMARY KEY,
      value         numeric(14, 4) NOT NULL CHECK (value >= 0),
      unit          varchar(20) NOT NULL DEFAULT '',
      description   text NOT NULL DEFAULT '',
      updated_at    timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  for (const t of TARIFF_DEFAULTS) {
    await sql`INSERT INTO cloud_tariff (code, value, unit, description) VALUES (${t.code}, ${t.value}, ${t.unit}, ${t.description})`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS cloud_tariff`.execute(db);
}
