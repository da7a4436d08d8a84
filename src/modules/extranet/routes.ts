// HTTP routes of the government extranet (issue 10 §6): thin handlers over ExtranetService.
import { Type } from 'typebox';
import { Uuid, errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import {
  BridgesSchema,
  ConnectionBody,
  ConnectionSchema,
  CoverageSchema,
  FailureSchema,
  LinkBody,
  LinkSchema,
  LinkUpdateBody,
  NodeBody,
  NodeSchema,
  NodeUpdateBody,
  ProbeRunBody,
  ProbeRunSchema,
  ProbeSettingsBody,
  TopologySchema,
} from './schema.ts';
import type { ExtranetService } from './service.ts';

const tags = ['extranet'];
const IdParams = Type.Object({ id: Uuid });
const deleted = { 204: Type.Null(), ...errorResponses };

export function extranetRoutes(app: App, extranet: ExtranetService): void {
  app.get(
    '/api/extranet/topology',
    {
      schema: {
        tags,
        summary: 'Nodes, links (state from probes or set by an operator, single points of failure marked) and department connections of your jurisdiction (extranet.read)',
        response: { 200: TopologySchema, ...errorResponses },
      },
    },
    async (request) => extranet.topology(request.ctx),
  );

  app.get(
    '/api/extranet/coverage',
    { schema: { tags, summary: 'Departments of your jurisdiction connected to the extranet and reaching the core now, per county-level unit (extranet.read)', response: { 200: CoverageSchema, ...errorResponses } } },
    async (request) => extranet.coverage(request.ctx),
  );

  app.get(
    '/api/extranet/bridges',
    { schema: { tags, summary: 'Single points of failure: links whose failure cuts nodes off the core, with the departments each would cut off (extranet.read)', response: { 200: BridgesSchema, ...errorResponses } } },
    async (request) => extranet.bridges(request.ctx),
  );

  app.get(
    '/api/extranet/links/:id/failure',
    { schema: { tags, summary: 'What the failure of one link cuts off the core: nodes and departments of your jurisdiction (extranet.read)', params: IdParams, response: { 200: FailureSchema, ...errorResponses } } },
    async (request) => extranet.failure(request.ctx, request.params.id),
  );

  app.post(
    '/api/extranet/nodes',
    { schema: { tags, summary: 'Add a node (extranet.manage, audited); its probe stays off unless enabled', body: NodeBody, response: { 200: NodeSchema, ...errorResponses } } },
    async (request) => extranet.createNode(request.ctx, request.body),
  );

  app.put(
    '/api/extranet/nodes/:id',
    { schema: { tags, summary: 'Change a node’s name, kind or region (extranet.manage, audited)', params: IdParams, body: NodeUpdateBody, response: { 200: NodeSchema, ...errorResponses } } },
    async (request) => extranet.updateNode(request.ctx, request.params.id, request.body),
  );

  app.put(
    '/api/extranet/nodes/:id/probe',
    {
      schema: {
        tags,
        summary: 'Set where a node is probed (IP address or hostname, TCP port) and whether (extranet.manage, audited)',
        params: IdParams,
        body: ProbeSettingsBody,
        response: { 200: NodeSchema, ...errorResponses },
      },
    },
    async (request) => extranet.setProbe(request.ctx, request.params.id, request.body),
  );

  app.delete(
    '/api/extranet/nodes/:id',
    { schema: { tags, summary: 'Delete a node without links or connections (extranet.manage, audited)', params: IdParams, response: deleted } },
    async (request, reply) => {
      await extranet.deleteNode(request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/extranet/links',
    { schema: { tags, summary: 'Link two nodes of your jurisdiction (extranet.manage, audited); one link per pair', body: LinkBody, response: { 200: LinkSchema, ...errorResponses } } },
    async (request) => extranet.createLink(request.ctx, request.body),
  );

  app.put(
    '/api/extranet/links/:id',
    { schema: { tags, summary: 'Change a link’s kind, ring, bandwidth or administrative state (extranet.manage, audited)', params: IdParams, body: LinkUpdateBody, response: { 200: LinkSchema, ...errorResponses } } },
    async (request) => extranet.updateLink(request.ctx, request.params.id, request.body),
  );

  app.delete(
    '/api/extranet/links/:id',
    { schema: { tags, summary: 'Delete a link (extranet.manage, audited)', params: IdParams, response: deleted } },
    async (request, reply) => {
      await extranet.deleteLink(request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/extranet/connections',
    { schema: { tags, summary: 'Connect a department of your jurisdiction to a node (extranet.manage, audited)', body: ConnectionBody, response: { 200: ConnectionSchema, ...errorResponses } } },
    async (request) => extranet.createConnection(request.ctx, request.body),
  );

  app.delete(
    '/api/extranet/connections/:id',
    { schema: { tags, summary: 'Remove a department connection (extranet.manage, audited)', params: IdParams, response: deleted } },
    async (request, reply) => {
      await extranet.deleteConnection(request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/extranet/probe',
    {
      schema: {
        tags,
        summary: 'Probe the enabled nodes of your jurisdiction now (or the named ones) by a TCP connect, and record the answers (extranet.manage, audited)',
        body: ProbeRunBody,
        response: { 200: ProbeRunSchema, ...errorResponses },
      },
    },
    async (request) => extranet.probe(request.ctx, request.body ?? {}),
  );
}
