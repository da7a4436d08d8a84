// HTTP routes of the cloud inventory (issue 10 §1, §7): thin handlers over CloudService.
import { Type } from 'typebox';
import { errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import * as s from './schema.ts';
import type { CloudService } from './service.ts';

const tags = ['cloud'];
const ok = (schema: Parameters<typeof Type.Array>[0]) => ({ 200: schema, ...errorResponses });

export function cloudRoutes(app: App, cloud: CloudService): void {
  const inv = cloud.inventory;
  const work = cloud.workloads;
  // ---- rooms
  app.get('/api/cloud/rooms', { schema: { tags, summary: '机房: the data centre (everyone with cloud.read) and the pre-consolidation rooms in your jurisdiction', querystring: s.RoomQuery, response: ok(s.RoomListSchema) } }, async (request) =>
    inv.rooms(request.ctx, request.query),
  );
  app.get('/api/cloud/rooms/:id', { schema: { tags, summary: 'One room with its legacy servers (and the VM each one’s workload moved to)', params: s.IdParams, response: ok(s.RoomDetailSchema) } }, async (request) =>
    inv.room(request.ctx, request.params.id),
  );
  app.post('/api/cloud/rooms', { schema: { tags, summary: 'Add a machine room: the data centre, a department’s or a community’s pre-consolidation room (cloud.manage over its region; audited)', body: s.NewRoomBody, response: { 201: s.RoomDetailSchema, ...errorResponses } } }, async (request, reply) =>
    reply.code(201).send(await inv.createRoom(request.ctx, request.body)),
  );
  app.put('/api/cloud/rooms/:id', { schema: { tags, summary: 'Change a room’s name, address, area or status (not retired while hosts are in it) (cloud.manage; audited)', params: s.IdParams, body: s.UpdateRoomBody, response: ok(s.RoomDetailSchema) } }, async (request) =>
    inv.updateRoom(request.ctx, request.params.id, request.body),
  );

  // ---- hosts
  app.get('/api/cloud/hosts', { schema: { tags, summary: '宿主机 with capacity, allocation, utilisation and VM count (the shared pool)', querystring: s.HostQuery, response: ok(s.HostListSchema) } }, async (request) =>
    inv.hosts(request.ctx, request.query),
  );
  app.get('/api/cloud/hosts/:id', { schema: { tags, summary: 'One host', params: s.IdParams, response: ok(s.HostSchema) } }, async (request) => inv.host(request.ctx, request.params.id));
  app.post('/api/cloud/hosts', { schema: { tags, summary: 'Add a host to a room (cloud.manage)', body: s.NewHostBody, response: { 201: s.HostSchema, ...errorResponses } } }, async (request, reply) =>
    reply.code(201).send(await inv.createHost(request.ctx, request.body)),
  );
  app.put('/api/cloud/hosts/:id', { schema: { tags, summary: 'Change a host (never below what VMs hold on it) (cloud.manage)', params: s.IdParams, body: s.UpdateHostBody, response: ok(s.HostSchema) } }, async (request) =>
    inv.updateHost(request.ctx, request.params.id, request.body),
  );
  app.post('/api/cloud/hosts/:id/state', { schema: { tags, summary: 'Put a host up, in maintenance or down (cloud.manage)', params: s.IdParams, body: s.HostStateBody, response: ok(s.HostSchema) } }, async (request) =>
    inv.setHostState(request.ctx, request.params.id, request.body.state, request.body.reason),
  );
  app.delete('/api/cloud/hosts/:id', { schema: { tags, summary: 'Remove a host no VM holds capacity on (cloud.manage)', params: s.IdParams, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
    await inv.deleteHost(request.ctx, request.params.id);
    return reply.code(204).send(null);
  });

  // ---- pools, zones, flavours, images
  app.get('/api/cloud/pools', { schema: { tags, summary: '存储池 (FC SAN, local) with capacity and allocation', response: ok(s.PoolListSchema) } }, async (request) => inv.pools(request.ctx));
  app.get('/api/cloud/zones', { schema: { tags, summary: '网络区域 and the departments in your jurisdiction granted each', response: ok(s.ZoneListSchema) } }, async (request) => inv.zones(request.ctx));
  app.post('/api/cloud/zones', { schema: { tags, summary: 'Add a network zone (cloud.manage)', body: s.NewZoneBody, response: { 201: s.ZoneSchema, ...errorResponses } } }, async (request, reply) =>
    reply.code(201).send(await inv.createZone(request.ctx, request.body)),
  );
  app.put('/api/cloud/zones/:code/grants/:departmentId', { schema: { tags, summary: 'Let a department use a zone (cloud.manage; idempotent)', params: s.ZoneGrantParams, response: ok(s.ZoneSchema) } }, async (request) =>
    inv.setZoneGrant(request.ctx, request.params.code, request.params.departmentId, true),
  );
  app.delete('/api/cloud/zones/:code/grants/:departmentId', { schema: { tags, summary: 'Withdraw a department’s use of a zone (cloud.manage; idempotent)', params: s.ZoneGrantParams, response: ok(s.ZoneSchema) } }, async (request) =>
    inv.setZoneGrant(request.ctx, request.params.code, request.params.departmentId, false),
  );
  app.get('/api/cloud/flavours', { schema: { tags, summary: '规格 (vCPUs and memory)', response: ok(s.FlavourListSchema) } }, async (request) => inv.flavours(request.ctx));
  app.post('/api/cloud/flavours', { schema: { tags, summary: 'Add a flavour (cloud.manage)', body: s.NewFlavourBody, response: { 201: s.FlavourSchema, ...errorResponses } } }, async (request, reply) =>
    reply.code(201).send(await inv.createFlavour(request.ctx, request.body)),
  );
  app.put('/api/cloud/flavours/:code', { schema: { tags, summary: 'Rename or (de)activate a flavour (cloud.manage)', params: s.CodeParams, body: s.UpdateFlavourBody, response: ok(s.FlavourSchema) } }, async (request) =>
    inv.updateFlavour(request.ctx, request.params.code, request.body),
  );
  app.delete('/api/cloud/flavours/:code', { schema: { tags, summary: 'Delete a flavour; 409 cloud.in_use while a VM or an open request uses it (cloud.manage; audited)', params: s.CodeParams, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
    await inv.deleteFlavour(request.ctx, request.params.code);
    return reply.code(204).send(null);
  });
  app.get('/api/cloud/images', { schema: { tags, summary: '镜像 (operating systems)', response: ok(s.ImageListSchema) } }, async (request) => inv.images(request.ctx));
  app.post('/api/cloud/images', { schema: { tags, summary: 'Add an image (cloud.manage)', body: s.NewImageBody, response: { 201: s.ImageSchema, ...errorResponses } } }, async (request, reply) =>
    reply.code(201).send(await inv.createImage(request.ctx, request.body)),
  );
  app.put('/api/cloud/images/:code', { schema: { tags, summary: 'Change or (de)activate an image (cloud.manage)', params: s.CodeParams, body: s.UpdateImageBody, response: ok(s.ImageSchema) } }, async (request) =>
    inv.updateImage(request.ctx, request.params.code, request.body),
  );
  app.delete('/api/cloud/images/:code', { schema: { tags, summary: 'Delete an image; 409 cloud.in_use while a VM or an open request uses it (cloud.manage; audited)', params: s.CodeParams, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
    await inv.deleteImage(request.ctx, request.params.code);
    return reply.code(204).send(null);
  });

  // ---- business systems
  app.get('/api/cloud/systems', { schema: { tags, summary: '业务系统 of the departments in your jurisdiction, with their VMs’ totals', querystring: s.SystemQuery, response: ok(s.SystemListSchema) } }, async (request) =>
    work.systems(request.ctx, request.query),
  );
  app.get('/api/cloud/systems/:id', { schema: { tags, summary: 'One business system', params: s.IdParams, response: ok(s.SystemSchema) } }, async (request) => work.system(request.ctx, request.params.id));
  app.post('/api/cloud/systems', { schema: { tags, summary: 'Register a business system (cloud.systems.manage over its department)', body: s.NewSystemBody, response: { 201: s.SystemSchema, ...errorResponses } } }, async (request, reply) =>
    reply.code(201).send(await work.createSystem(request.ctx, request.body)),
  );
  app.put('/api/cloud/systems/:id', { schema: { tags, summary: 'Change or retire a business system (not while VMs of it remain)', params: s.IdParams, body: s.UpdateSystemBody, response: ok(s.SystemSchema) } }, async (request) =>
    work.updateSystem(request.ctx, request.params.id, request.body),
  );

  // ---- VMs
  app.get('/api/cloud/vms', { schema: { tags, summary: '虚拟机 in your jurisdiction (filters: department, system, host, state, zone, text)', querystring: s.VmQuery, response: ok(s.VmListSchema) } }, async (request) =>
    work.vms(request.ctx, request.query),
  );
  app.get('/api/cloud/vms/:id', { schema: { tags, summary: 'One VM with its lifecycle ledger and the legacy servers it replaced', params: s.IdParams, response: ok(s.VmDetailSchema) } }, async (request) =>
    work.vm(request.ctx, request.params.id),
  );

  // ---- quotas
  app.get('/api/cloud/quotas', { schema: { tags, summary: '配额: each department’s use and limits, fullest first', querystring: s.QuotaQuery, response: ok(s.QuotaListSchema) } }, async (request) =>
    work.quotas(request.ctx, request.query),
  );
  app.get('/api/cloud/quotas/:departmentId', { schema: { tags, summary: 'One department’s quota', params: s.DepartmentParams, response: ok(s.QuotaSchema) } }, async (request) =>
    work.quota(request.ctx, request.params.departmentId),
  );
  app.put('/api/cloud/quotas/:departmentId', { schema: { tags, summary: 'Set a department’s limits; 409 cloud.quota_below_use below what it uses (cloud.manage)', params: s.DepartmentParams, body: s.QuotaBody, response: ok(s.QuotaSchema) } }, async (request) =>
    work.setQuota(request.ctx, request.params.departmentId, request.body),
  );

  // ---- consolidation report
  app.get('/api/cloud/consolidation', { schema: { tags, summary: '整合报告: servers, utilisation, power and cost before and after, with the tariff assumed', response: ok(s.ConsolidationSchema) } }, async (request) =>
    cloud.consolidation(request.ctx),
  );
}
