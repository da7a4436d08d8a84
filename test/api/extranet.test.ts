// The extranet through the real app (issue 10 §6): a small topology of its own (a core, a ring, access spurs, a
// dual-homed department), single-link failure and bridges, coverage per county, probes on loopback only, bad input
// (named field, nothing written), 50 concurrent duplicate links, and jurisdiction.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { login, signedInWith, testApp, type Client } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser, uniq } from '../support/factories.ts';

let db: Kysely<Database>;
let admin: Client;
/** A community of 伊州区 with no department of another test in it (picked at random among the empty ones). */
let area: { code: string; path: string };
let farArea: { code: string };
let server: net.Server;
let openPort: number;
let closedPort: number;

interface Node {
  id: string;
  code: string;
  lastState: string | null;
  reachesCore: boolean;
}
interface Link {
  id: string;
  state: string;
  bridge: boolean;
}

const put = (client: Client, url: string, body: unknown) => client.request('PUT', url, body);

async function node(client: Client, kind: string, input: Record<string, unknown> = {}): Promise<Node> {
  const res = await client.post('/api/extranet/nodes', { code: uniq('N'), name: `节点${uniq()}`, kind, regionCode: area.code, ...input });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
async function link(client: Client, a: Node, b: Node, kind = 'ring', extra: Record<string, unknown> = {}): Promise<Link> {
  const res = await client.post('/api/extranet/links', { aId: a.id, bId: b.id, kind, bandwidthMbps: kind === 'access' ? 100 : 1000, ...extra });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
async function connect(client: Client, departmentId: string, n: Node) {
  const res = await client.post('/api/extranet/connections', { departmentId, nodeId: n.id, bandwidthMbps: 100, connectedOn: '2024-03-01' });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { id: string };
}

async function listening(): Promise<net.Server> {
  const s = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return s;
}

beforeAll(async () => {
  await testApp();
  ({ db } = await testDb());
  const empty = await db
    .selectFrom('region as r')
    .select(['r.code', 'r.path'])
    .where('r.level', '=', 4)
    .where('r.path', 'like', '/6505/650502/%')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('department as d').select('d.id').whereRef('d.region_code', '=', 'r.code'))))
    .execute();
  area = empty[Math.floor(Math.random() * empty.length)]!;
  farArea = await db.selectFrom('region').select('code').where('level', '=', 4).where('path', 'like', '/6505/650521/%').orderBy('code').limit(1).executeTakeFirstOrThrow();
  admin = await signedInWith([{ role: 'platform_admin', regionCode: '6505' }]);
  server = await listening();
  openPort = (server.address() as net.AddressInfo).port;
  const closed = await listening();
  closedPort = (closed.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** core — r1 — r2 — r3 — core (a ring); r2 — acc1 (spur) — dept1; dept2 on acc2 off r3 and on acc3 off r1 (dual-homed). */
async function smallNetwork() {
  const core = await node(admin, 'core');
  const [r1, r2, r3] = [await node(admin, 'aggregation'), await node(admin, 'aggregation'), await node(admin, 'aggregation')];
  const ring = [await link(admin, core, r1), await link(admin, r1, r2), await link(admin, r2, r3), await link(admin, r3, core)];
  const [acc1, acc2, acc3] = [await node(admin, 'access'), await node(admin, 'access'), await node(admin, 'access')];
  const spur = await link(admin, r2, acc1, 'access');
  const spur2 = await link(admin, r3, acc2, 'access');
  const spur3 = await link(admin, r1, acc3, 'access');
  const dept1 = await newDepartment(db, { regionCode: area.code, name: `单接入部门${uniq()}` });
  const dept2 = await newDepartment(db, { regionCode: area.code, name: `双接入部门${uniq()}` });
  const dept3 = await newDepartment(db, { regionCode: area.code, name: `未接入部门${uniq()}` });
  await connect(admin, dept1.id, acc1);
  await connect(admin, dept2.id, acc2);
  await connect(admin, dept2.id, acc3);
  return { core, r1, r2, r3, ring, acc1, acc2, acc3, spur, spur2, spur3, dept1, dept2, dept3 };
}

let made: ReturnType<typeof smallNetwork> | undefined;
const network = () => (made ??= smallNetwork());

describe('single-link failure', () => {
  it('loses nothing when a ring link fails, and marks no ring link a bridge', async () => {
    const n = await network();
    for (const l of n.ring) {
      const res = await admin.get(`/api/extranet/links/${l.id}/failure`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ lostNodeIds: [], departments: [], link: { id: l.id, bridge: false } });
    }
  });

  it('cuts the spur off and names its single-homed department, not the dual-homed one', async () => {
    const n = await network();
    const res = (await admin.get(`/api/extranet/links/${n.spur.id}/failure`)).json();
    expect(res.link.bridge).toBe(true);
    expect(res.lostNodeIds).toEqual([n.acc1.id]);
    expect(res.departments.map((d: { id: string }) => d.id)).toEqual([n.dept1.id]);
    const dual = (await admin.get(`/api/extranet/links/${n.spur2.id}/failure`)).json();
    expect(dual.lostNodeIds).toEqual([n.acc2.id]);
    expect(dual.departments).toEqual([]);
  });

  it('lists the access links as single points of failure, the ring links not', async () => {
    const n = await network();
    const items = (await admin.get('/api/extranet/bridges')).json().items as { link: Link; lostNodes: number; departments: number }[];
    const byId = new Map(items.map((i) => [i.link.id, i]));
    for (const l of n.ring) expect(byId.has(l.id)).toBe(false);
    expect(byId.get(n.spur.id)).toMatchObject({ lostNodes: 1, departments: 1 });
    expect(byId.get(n.spur2.id)).toMatchObject({ lostNodes: 1, departments: 0 });
  });

  it('takes a link set down by an operator out of the graph: its ring neighbours become bridges', async () => {
    const core = await node(admin, 'core');
    const [a, b] = [await node(admin, 'aggregation'), await node(admin, 'aggregation')];
    const l1 = await link(admin, core, a);
    const l2 = await link(admin, a, b);
    const l3 = await link(admin, b, core);
    expect((await admin.get(`/api/extranet/links/${l1.id}/failure`)).json().link.bridge).toBe(false);
    const down = await put(admin, `/api/extranet/links/${l3.id}`, { kind: 'ring', ring: '测试环', bandwidthMbps: 1000, adminState: 'down' });
    expect(down.statusCode, down.body).toBe(200);
    expect(down.json()).toMatchObject({ state: 'down', bridge: false });
    const lost = (await admin.get(`/api/extranet/links/${l1.id}/failure`)).json();
    expect(lost.link.bridge).toBe(true);
    expect(new Set(lost.lostNodeIds)).toEqual(new Set([a.id, b.id]));
    expect((await admin.get(`/api/extranet/links/${l2.id}/failure`)).json().lostNodeIds).toEqual([b.id]);
  });
});

describe('coverage', () => {
  it('counts the departments of the area connected and reaching the core', async () => {
    const n = await network();
    const leader = await signedInWith([{ role: 'leader', regionCode: area.code }]);
    const res = await leader.get('/api/extranet/coverage');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    // the leader's own department lies elsewhere (6505): the area holds the three departments of the network
    expect(body.total).toMatchObject({ regionCode: area.code, departments: 3, connected: 2, reaching: 2 });
    expect(body.total.share).toBeCloseTo(2 / 3, 3);
    expect(body.counties).toEqual([expect.objectContaining({ regionCode: '650502', departments: 3, connected: 2 })]);
    // the spur set down by an operator: connected still, reaching no more
    await put(admin, `/api/extranet/links/${n.spur.id}`, { kind: 'access', ring: null, bandwidthMbps: 100, adminState: 'down' });
    expect((await leader.get('/api/extranet/coverage')).json().total).toMatchObject({ connected: 2, reaching: 1 });
    await put(admin, `/api/extranet/links/${n.spur.id}`, { kind: 'access', ring: null, bandwidthMbps: 100, adminState: 'auto' });
  });
});

describe('bad input', () => {
  const linkCount = async (ids: string[]) => Number((await db.selectFrom('extranet_link').select((eb) => eb.fn.countAll().as('n')).where((eb) => eb.or([eb('a_id', 'in', ids), eb('b_id', 'in', ids)])).executeTakeFirstOrThrow()).n);

  it('refuses a link to an unknown node naming the field, a self-link, and a duplicate either way round; writes nothing', async () => {
    const [a, b] = [await node(admin, 'aggregation'), await node(admin, 'aggregation')];
    const unknown = await admin.post('/api/extranet/links', { aId: a.id, bId: '00000000-0000-4000-8000-000000000000', kind: 'ring', bandwidthMbps: 1000 });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'extranet.unknown_node', field: 'bId' });
    const self = await admin.post('/api/extranet/links', { aId: a.id, bId: a.id, kind: 'ring', bandwidthMbps: 1000 });
    expect(self.statusCode).toBe(400);
    expect(self.json()).toMatchObject({ code: 'extranet.self_link', field: 'bId' });
    expect(await linkCount([a.id, b.id])).toBe(0);
    await link(admin, a, b);
    const again = await admin.post('/api/extranet/links', { aId: b.id, bId: a.id, kind: 'ring', bandwidthMbps: 10 });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'extranet.duplicate_link' });
    expect(await linkCount([a.id, b.id])).toBe(1);
  });

  it('refuses a bandwidth of 0, a port out of range and a URL for a probe host, naming the field', async () => {
    const [a, b] = [await node(admin, 'aggregation'), await node(admin, 'aggregation')];
    const zero = await admin.post('/api/extranet/links', { aId: a.id, bId: b.id, kind: 'ring', bandwidthMbps: 0 });
    expect(zero.statusCode).toBe(400);
    expect(zero.json().field).toBe('bandwidthMbps');
    expect(await linkCount([a.id, b.id])).toBe(0);
    const port = await put(admin, `/api/extranet/nodes/${a.id}/probe`, { probeHost: '127.0.0.1', probePort: 65536, probeEnabled: true });
    expect(port.statusCode).toBe(400);
    expect(port.json().field).toBe('probePort');
    for (const host of ['http://10.0.0.1', '10.0.0.1:80', 'core/x']) {
      const res = await put(admin, `/api/extranet/nodes/${a.id}/probe`, { probeHost: host, probePort: 80, probeEnabled: true });
      expect(res.statusCode, host).toBe(400);
      expect(res.json()).toMatchObject({ code: 'extranet.invalid_probe_host', field: 'probeHost' });
    }
    const noHost = await put(admin, `/api/extranet/nodes/${a.id}/probe`, { probeHost: null, probePort: 80, probeEnabled: true });
    expect(noHost.json()).toMatchObject({ code: 'extranet.probe_not_configured', field: 'probeHost' });
    const row = await db.selectFrom('extranet_node').select(['probe_host', 'probe_enabled']).where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ probe_host: null, probe_enabled: false });
  });

  it('refuses a duplicate code, an unknown region, a node in use; a duplicate connection is 409', async () => {
    const a = await node(admin, 'aggregation');
    const dup = await admin.post('/api/extranet/nodes', { code: a.code, name: '重复', kind: 'core', regionCode: area.code });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'extranet.duplicate_code', field: 'code' });
    const region = await admin.post('/api/extranet/nodes', { code: uniq('N'), name: '无区划', kind: 'core', regionCode: '659999' });
    expect(region.json()).toMatchObject({ code: 'extranet.unknown_region', field: 'regionCode' });
    const b = await node(admin, 'access');
    await link(admin, a, b, 'access');
    const inUse = await admin.delete(`/api/extranet/nodes/${b.id}`);
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().code).toBe('extranet.node_in_use');
    const dept = await newDepartment(db, { regionCode: area.code });
    await connect(admin, dept.id, b);
    const twice = await admin.post('/api/extranet/connections', { departmentId: dept.id, nodeId: b.id, bandwidthMbps: 100, connectedOn: '2024-03-01' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('extranet.duplicate_connection');
  });

  it('refuses bad edits of nodes and links (the console’s forms) naming the field, and changes nothing', async () => {
    const [a, b] = [await node(admin, 'aggregation'), await node(admin, 'aggregation')];
    const l = await link(admin, a, b);
    const nodeRow = () => db.selectFrom('extranet_node').select(['name', 'kind', 'region_code']).where('id', '=', a.id).executeTakeFirstOrThrow();
    const linkRow = () => db.selectFrom('extranet_link').select(['kind', 'ring', 'bandwidth_mbps', 'admin_state']).where('id', '=', l.id).executeTakeFirstOrThrow();
    const [nodeBefore, linkBefore] = [await nodeRow(), await linkRow()];
    const good = { name: '汇聚节点', kind: 'aggregation', regionCode: area.code };
    const refusals: [string, Record<string, unknown>, number, string, string?][] = [
      [`/api/extranet/nodes/${a.id}`, { ...good, name: '   ' }, 400, 'name'],
      [`/api/extranet/nodes/${a.id}`, { ...good, kind: 'router' }, 400, 'kind'],
      [`/api/extranet/nodes/${a.id}`, { ...good, regionCode: '659999' }, 400, 'regionCode', 'extranet.unknown_region'],
      [`/api/extranet/nodes/${a.id}`, { ...good, regionCode: 'x' }, 400, 'regionCode'],
      // the code is fixed once made
      [`/api/extranet/nodes/${a.id}`, { ...good, code: 'NEW' }, 400, 'code'],
      ['/api/extranet/nodes/00000000-0000-4000-8000-000000000000', good, 404, 'id', 'extranet.not_found'],
      [`/api/extranet/links/${l.id}`, { kind: 'ring', ring: null, bandwidthMbps: -5, adminState: 'auto' }, 400, 'bandwidthMbps'],
      [`/api/extranet/links/${l.id}`, { kind: 'ring', ring: null, bandwidthMbps: 1000, adminState: 'off' }, 400, 'adminState'],
      [`/api/extranet/links/${l.id}`, { kind: 'ring', ring: 'x'.repeat(101), bandwidthMbps: 1000, adminState: 'auto' }, 400, 'ring'],
      ['/api/extranet/links/00000000-0000-4000-8000-000000000000', { kind: 'ring', ring: null, bandwidthMbps: 1000, adminState: 'auto' }, 404, 'id', 'extranet.not_found'],
    ];
    for (const [url, body, status, field, code] of refusals) {
      const res = await put(admin, url, body);
      expect(res.statusCode, `${url} ${JSON.stringify(body)}`).toBe(status);
      expect(res.json().field, JSON.stringify(body)).toBe(field);
      if (code) expect(res.json().code).toBe(code);
    }
    // a new node whose code has a space; deleting what is not there, or not an id
    const badCode = await admin.post('/api/extranet/nodes', { code: 'a b', name: '节点', kind: 'core', regionCode: area.code });
    expect(badCode.statusCode).toBe(400);
    expect(badCode.json().field).toBe('code');
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      expect((await admin.delete(`/api/extranet/links/${id}`)).statusCode).toBe(id === 'not-a-uuid' ? 400 : 404);
      expect((await admin.delete(`/api/extranet/nodes/${id}`)).statusCode).toBe(id === 'not-a-uuid' ? 400 : 404);
    }
    // a county's operator cannot move a node of theirs to another county
    const county = await signedInWith([{ role: 'platform_admin', regionCode: '650502' }]);
    const away = await put(county, `/api/extranet/nodes/${a.id}`, { ...good, regionCode: farArea.code });
    expect(away.statusCode).toBe(403);
    expect(away.json()).toMatchObject({ code: 'extranet.region_out_of_scope', field: 'regionCode' });
    expect(await nodeRow()).toEqual(nodeBefore);
    expect(await linkRow()).toEqual(linkBefore);
  });

  it('admits one of 50 concurrent requests for the same link (half of them the other way round)', async () => {
    const [a, b] = [await node(admin, 'aggregation'), await node(admin, 'aggregation')];
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => admin.post('/api/extranet/links', { aId: i % 2 ? a.id : b.id, bId: i % 2 ? b.id : a.id, kind: 'ring', bandwidthMbps: 1000 })),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(49);
    expect(await linkCount([a.id, b.id])).toBe(1);
  });
});

describe('probes (loopback only)', () => {
  it('is off until enabled; finds a listening port up and a closed one down; a link to a down node is down', async () => {
    const core = await node(admin, 'core', { probeHost: '127.0.0.1', probePort: openPort });
    const far = await node(admin, 'aggregation');
    const spur = await link(admin, core, far, 'vertical');
    const off = await admin.post('/api/extranet/probe', { nodeIds: [core.id, far.id] });
    expect(off.json()).toEqual({ probed: 0, results: [] });
    expect((await put(admin, `/api/extranet/nodes/${core.id}/probe`, { probeHost: '127.0.0.1', probePort: openPort, probeEnabled: true })).statusCode).toBe(200);
    expect((await put(admin, `/api/extranet/nodes/${far.id}/probe`, { probeHost: '127.0.0.1', probePort: closedPort, probeEnabled: true })).statusCode).toBe(200);
    const run = await admin.post('/api/extranet/probe', { nodeIds: [core.id, far.id] });
    expect(run.statusCode, run.body).toBe(200);
    const byNode = new Map(run.json().results.map((r: { nodeId: string; state: string }) => [r.nodeId, r]));
    expect(byNode.get(core.id)).toMatchObject({ state: 'up', error: null });
    expect(byNode.get(far.id)).toMatchObject({ state: 'down', error: 'ECONNREFUSED' });
    const topology = (await admin.get('/api/extranet/topology')).json();
    const nodes = new Map(topology.nodes.map((n: Node) => [n.id, n]));
    expect(nodes.get(core.id)).toMatchObject({ lastState: 'up', reachesCore: true });
    expect(nodes.get(far.id)).toMatchObject({ lastState: 'down', reachesCore: false });
    expect(topology.links.find((l: Link) => l.id === spur.id)).toMatchObject({ state: 'down' });
    // switched off: the old answer is forgotten and the link's state is unknown again
    await put(admin, `/api/extranet/nodes/${far.id}/probe`, { probeHost: '127.0.0.1', probePort: closedPort, probeEnabled: false });
    const after = (await admin.get('/api/extranet/topology')).json();
    expect(after.links.find((l: Link) => l.id === spur.id)).toMatchObject({ state: 'up' });
    expect(after.nodes.find((n: Node) => n.id === far.id)).toMatchObject({ lastState: null, reachesCore: true });
  });

  it('is refused to a reader', async () => {
    const leader = await signedInWith([{ role: 'leader', regionCode: '6505' }]);
    const res = await leader.post('/api/extranet/probe', {});
    expect(res.statusCode).toBe(403);
  });
});

describe('jurisdiction', () => {
  it('shows another county’s leader none of this area’s nodes, links or failures, and lets no one manage outside their region', async () => {
    const n = await network();
    const other = await signedInWith([{ role: 'leader', regionCode: farArea.code }]);
    const topology = (await other.get('/api/extranet/topology')).json();
    expect(topology.nodes.map((x: Node) => x.id)).not.toContain(n.core.id);
    expect(topology.links.map((x: Link) => x.id)).not.toContain(n.spur.id);
    expect((await other.get(`/api/extranet/links/${n.spur.id}/failure`)).statusCode).toBe(404);
    expect((await other.get('/api/extranet/bridges')).json().items.map((i: { link: Link }) => i.link.id)).not.toContain(n.spur.id);
    const farAdmin = await signedInWith([{ role: 'platform_admin', regionCode: farArea.code }]);
    const res = await farAdmin.post('/api/extranet/links', { aId: n.r1.id, bId: n.acc1.id, kind: 'access', bandwidthMbps: 100 });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'extranet.unknown_node', field: 'aId' });
    expect((await farAdmin.request('DELETE', `/api/extranet/links/${n.spur.id}`)).statusCode).toBe(404);
    const outside = await farAdmin.post('/api/extranet/nodes', { code: uniq('N'), name: '越权', kind: 'core', regionCode: area.code });
    expect(outside.statusCode).toBe(403);
    expect(outside.json()).toMatchObject({ code: 'extranet.region_out_of_scope', field: 'regionCode' });
  });

  it('shows a department administrator their own connection and its node, nothing else', async () => {
    const n = await network();
    const user = await newUser(db, { departmentId: n.dept1.id, grants: [{ role: 'department_admin', regionCode: area.code }] });
    const { app } = await testApp();
    const client = await login(app, user.username, user.password);
    const topology = (await client.get('/api/extranet/topology')).json();
    expect(topology.connections.map((c: { departmentId: string }) => c.departmentId)).toContain(n.dept1.id);
    expect(topology.connections.map((c: { departmentId: string }) => c.departmentId)).not.toContain(n.dept2.id);
    expect(topology.nodes.map((x: Node) => x.id)).toContain(n.acc1.id);
    expect(topology.nodes.map((x: Node) => x.id)).not.toContain(n.acc2.id);
  });

  it('lets an auditor read and not write', async () => {
    const auditor = await signedInWith([{ role: 'auditor', regionCode: '6505' }]);
    expect((await auditor.get('/api/extranet/topology')).statusCode).toBe(200);
    expect((await auditor.post('/api/extranet/nodes', { code: uniq('N'), name: '审计', kind: 'core', regionCode: area.code })).statusCode).toBe(403);
  });
});
