// Kysely types of the extranet module's tables (issue 10 §6), added to the Database interface by augmentation.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../db/schema.ts';

export const NODE_KINDS = ['upstream', 'core', 'aggregation', 'access'] as const;
/** upstream 自治区节点 · core 市级核心 · aggregation 汇聚节点 (县级汇聚, 乡镇, 市直) · access 部门接入. */
export type NodeKind = (typeof NODE_KINDS)[number];
export const LINK_KINDS = ['vertical', 'ring', 'access'] as const;
/** vertical 纵向 (自治区 → 市 → 县) · ring 横向环网 · access 接入. */
export type LinkKind = (typeof LINK_KINDS)[number];
export const ADMIN_STATES = ['auto', 'up', 'down'] as const;
/** auto: the state follows the endpoints' probes; up/down: set by an operator (maintenance, known outage). */
export type AdminState = (typeof ADMIN_STATES)[number];
export type ProbeState = 'up' | 'down';

type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface ExtranetNodeTable {
  id: Generated<string>;
  code: string;
  name: string;
  kind: NodeKind;
  region_code: string;
  region_path: string;
  probe_host: string | null;
  probe_port: number | null;
  probe_enabled: Generated<boolean>;
  last_state: ProbeState | null;
  last_latency_ms: number | null;
  last_error: string | null;
  last_checked_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ExtranetLinkTable {
  id: Generated<string>;
  a_id: string;
  b_id: string;
  kind: LinkKind;
  ring: string | null;
  bandwidth_mbps: number;
  admin_state: Generated<AdminState>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ExtranetConnectionTable {
  id: Generated<string>;
  department_id: string;
  node_id: string;
  bandwidth_mbps: number;
  connected_on: ColumnType<string, string, string>;
  region_code: string;
  region_path: string;
  created_at: Timestamp;
}

declare module '../../db/schema.ts' {
  interface Database {
    extranet_node: ExtranetNodeTable;
    extranet_link: ExtranetLinkTable;
    extranet_connection: ExtranetConnectionTable;
  }
}
