// Client applications (应用系统): consuming systems of a department with a client id and a 256-bit secret shown once,
// stored as its digest; rotation keeps the previous secret valid for a grace period; disable/enable, expiry, rate.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { authorize } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { conflict, invalid, notFound } from '../../shared/errors.ts';
import { decodeKeyset, encodeKeyset } from '../../shared/keyset.ts';
import type { AuditService } from '../audit/index.ts';
import { hashClientSecret } from './clients.ts';
import { clientAbilities, type ClientAbility } from './policy.ts';
import * as repo from './repository.ts';

/** How long the secret before a rotation keeps working, so the consuming system can switch without downtime. */
export const ROTATION_GRACE_MS = 24 * 3600_000;
const DEFAULT_LIFETIME_MS = 365 * 86_400_000;
const MAX_LIFETIME_MS = 2 * 366 * 86_400_000;

export interface ClientView {
  id: string;
  clientId: string;
  name: string;
  description: string;
  department: { id: string; name: string };
  ratePerMinute: number;
  status: 'active' | 'disabled';
  secretExpiresAt: string;
  /** Until when the secret before the last rotation still works (null: none). */
  previousSecretValidUntil: string | null;
  rotatedAt: string | null;
  createdAt: string;
  abilities: ClientAbility[];
}

export interface NewClient {
  name: string;
  description?: string;
  departmentId?: string;
  ratePerMinute?: number;
  secretExpiresAt?: string;
}

export type ClientPatch = Partial<Pick<NewClient, 'name' | 'description' | 'ratePerMinute' | 'secretExpiresAt'>>;

const newSecret = () => randomBytes(32).toString('base64url');
const newClientId = () => `gc_${randomBytes(8).toString('hex')}`;

export class ClientAppService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  private expiry(value: string | undefined, now: Date): Date {
    if (value === undefined) return new Date(now.getTime() + DEFAULT_LIFETIME_MS);
    const at = new Date(value);
    if (Number.isNaN(at.getTime()) || at <= now || at.getTime() - now.getTime() > MAX_LIFETIME_MS) {
      throw invalid('clients.invalid_expiry', 'secretExpiresAt', 'The secret’s expiry must lie in the future, at most two years ahead.');
    }
    return at;
  }

  /** Creates a client application; the secret is in this answer only. */
  async create(ctx: RequestContext, input: NewClient, preset?: { clientId: string; secret: string }): Promise<{ client: ClientView; clientSecret: string }> {
    const { actor, scope } = authorize(ctx, 'clients.manage', this.clock);
    // documented demo credentials only: the platform itself may name them
    if (preset && actor.via !== 'system') throw invalid('request.invalid', 'clientId', 'Only the platform may preset credentials.');
    const departmentId = input.departmentId ?? actor.departmentId;
    const department = departmentId ? await repo.findDepartmentInScope(this.db, scope, departmentId) : undefined;
    if (!department) throw invalid('clients.unknown_department', 'departmentId', 'Name a department in your jurisdiction.');
    const name = input.name.trim();
    if (name.length === 0) throw invalid('request.invalid', 'name', 'Name the client application.');
    const now = this.clock.now();
    const expiresAt = this.expiry(input.secretExpiresAt, now);
    const secret = preset?.secret ?? newSecret();
    const clientId = preset?.clientId ?? newClientId();
    const id = await this.db
      .transaction()
      .execute(async (trx) => {
        const row = await trx
          .insertInto('client_app')
          .values({
            department_id: department.id,
            name,
            description: input.description?.trim() ?? '',
            client_id: clientId,
            secret_hash: hashClientSecret(secret),
            secret_expires_at: expiresAt,
            rate_per_minute: input.ratePerMinute ?? 600,
            created_by: actor.via === 'system' ? null : actor.userId,
            created_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        // never the secret, nor its digest
        await this.audit.record(trx, ctx, { action: 'clients.create', objectType: 'client_app', objectId: row.id, regionCode: department.region_code, detail: { name, clientId, departmentId: department.id, ratePerMinute: input.ratePerMinute ?? 600, secretExpiresAt: expiresAt.toISOString() } });
        return row.id;
      })
      .catch((error: unknown) => {
        if (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505') throw conflict('clients.duplicate_name', 'The department has a client application of that name already.', 'name');
        throw error;
      });
    return { client: await this.get(ctx, id), clientSecret: secret };
  }

  async get(ctx: RequestContext, id: string): Promise<ClientView> {
    const { scope } = authorize(ctx, 'clients.manage', this.clock);
    const row = await repo.findClient(this.db, scope, id);
    if (!row) throw notFound('clients.not_found', 'No such client application in your jurisdiction.', 'id');
    return this.view(row);
  }

  async list(ctx: RequestContext, query: { departmentId?: string; status?: 'active' | 'disabled'; cursor?: string; limit?: number }): Promise<{ items: ClientView[]; total: number; nextCursor: string | null }> {
    const { scope } = authorize(ctx, 'clients.manage', this.clock);
    const limit = query.limit ?? 50;
    const after = query.cursor ? (decodeKeyset(query.cursor, ['string', 'string'] as const) as [string, string]) : undefined;
    const { rows, total } = await repo.listClients(this.db, scope, { departmentId: query.departmentId, status: query.status }, { after, limit });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { items: page.map((r) => this.view(r)), total, nextCursor: rows.length > limit && last ? encodeKeyset([last.created_at.toISOString(), last.id]) : null };
  }

  /** A new secret; the previous one keeps working for ROTATION_GRACE_MS (never beyond its own expiry). */
  async rotate(ctx: RequestContext, id: string): Promise<{ client: ClientView; clientSecret: string }> {
    const secret = newSecret();
    await this.change(ctx, id, 'clients.rotate', (app, now) => {
      const graceEnd = new Date(Math.min(now.getTime() + ROTATION_GRACE_MS, app.secret_expires_at.getTime()));
      const expires = app.secret_expires_at > now ? app.secret_expires_at : new Date(now.getTime() + DEFAULT_LIFETIME_MS);
      return {
        set: { secret_hash: hashClientSecret(secret), secret_expires_at: expires, previous_secret_hash: app.secret_hash, previous_expires_at: graceEnd, rotated_at: now },
        detail: { previousValidUntil: graceEnd.toISOString(), secretExpiresAt: expires.toISOString() },
      };
    });
    return { client: await this.get(ctx, id), clientSecret: secret };
  }

  async setStatus(ctx: RequestContext, id: string, status: 'active' | 'disabled'): Promise<ClientView> {
    await this.change(ctx, id, status === 'active' ? 'clients.enable' : 'clients.disable', () => ({ set: { status }, detail: {} }));
    return this.get(ctx, id);
  }

  async update(ctx: RequestContext, id: string, patch: ClientPatch): Promise<ClientView> {
    await this.change(ctx, id, 'clients.update', (_app, now) => {
      const set: Record<string, unknown> = {};
      if (patch.name !== undefined) {
        if (patch.name.trim().length === 0) throw invalid('request.invalid', 'name', 'Name the client application.');
        set.name = patch.name.trim();
      }
      if (patch.description !== undefined) set.description = patch.description.trim();
      if (patch.ratePerMinute !== undefined) set.rate_per_minute = patch.ratePerMinute;
      if (patch.secretExpiresAt !== undefined) set.secret_expires_at = this.expiry(patch.secretExpiresAt, now);
      return { set, detail: { ...patch } };
    });
    return this.get(ctx, id);
  }

  private async change(
    ctx: RequestContext,
    id: string,
    action: string,
    compute: (app: NonNullable<Awaited<ReturnType<typeof repo.lockClient>>>, now: Date) => { set: Record<string, unknown>; detail: Record<string, unknown> },
  ): Promise<void> {
    const { scope } = authorize(ctx, 'clients.manage', this.clock);
    await this.db
      .transaction()
      .execute(async (trx) => {
        const app = await repo.lockClient(trx, id);
        const row = app && (await repo.findClient(trx, scope, id));
        if (!app || !row) throw notFound('clients.not_found', 'No such client application in your jurisdiction.', 'id');
        const { set, detail } = compute(app, this.clock.now());
        if (Object.keys(set).length > 0) await trx.updateTable('client_app').set(set).where('id', '=', id).execute();
        await this.audit.record(trx, ctx, { action, objectType: 'client_app', objectId: id, regionCode: row.region_code, detail: { clientId: app.client_id, ...detail } });
      })
      .catch((error: unknown) => {
        if (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505') throw conflict('clients.duplicate_name', 'The department has a client application of that name already.', 'name');
        throw error;
      });
  }

  private view(row: repo.ClientRow): ClientView {
    const now = this.clock.now();
    return {
      id: row.id,
      clientId: row.client_id,
      name: row.name,
      description: row.description,
      department: { id: row.department_id, name: row.department_name },
      ratePerMinute: row.rate_per_minute,
      status: row.status,
      secretExpiresAt: row.secret_expires_at.toISOString(),
      previousSecretValidUntil: row.previous_expires_at && row.previous_expires_at > now ? row.previous_expires_at.toISOString() : null,
      rotatedAt: row.rotated_at?.toISOString() ?? null,
      createdAt: row.created_at.toISOString(),
      abilities: clientAbilities(row),
    };
  }
}
