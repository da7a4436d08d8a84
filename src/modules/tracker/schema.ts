// Request and response schemas of the tracker routes; the console imports their types (type-only), so only typebox here.
import { Type, type Static } from 'typebox';

const ItemRef = Type.Object({ code: Type.String(), name: Type.String({ description: 'The item’s catalogue name (its code when the item is gone)' }) });

const useProps = {
  id: Type.String({ description: 'Stable id of the log row (batch and position)' }),
  at: Type.String({ format: 'date-time' }),
  via: Type.String({ description: 'exchange | feed | resident_view | proxy' }),
  resourceCode: Type.String(),
  resourceName: Type.String(),
  items: Type.Array(ItemRef, { description: 'The items (columns) handed out' }),
  departmentName: Type.Union([Type.String(), Type.Null()], { description: 'The consuming department' }),
  systemName: Type.Union([Type.String(), Type.Null()], { description: 'The consuming system (client application), when a system read it' }),
  purpose: Type.Union([Type.String(), Type.Null()]),
  rows: Type.Union([Type.Integer(), Type.Null()], { description: 'Rows handed out by the call' }),
};

/** One use of the person's data, as the citizen sees it. */
export const DataUseSchema = Type.Object(useProps);
export const DataUsePageSchema = Type.Object({ items: Type.Array(DataUseSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) });

/** One use of the person's data, as an auditor sees it: covert reads included, flagged. */
export const AuditedDataUseSchema = Type.Object({
  ...useProps,
  grantId: Type.Union([Type.String(), Type.Null()]),
  covert: Type.Boolean({ description: 'Read under a grant marked covert: hidden from the citizen' }),
  actorName: Type.Union([Type.String(), Type.Null()], { description: 'The user or client id that made the call' }),
  requestId: Type.Union([Type.String(), Type.Null()]),
});
export const AuditedDataUsePageSchema = Type.Object({ items: Type.Array(AuditedDataUseSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const IdNumberParam = Type.String({ minLength: 1, maxLength: 32, description: '18-character 公民身份号码 (GB 11643)' });

export const CovertBody = Type.Object(
  {
    covert: Type.Boolean({ description: 'true marks the grant covert (hidden from citizens), false lifts it' }),
    reason: Type.String({ minLength: 1, maxLength: 500, description: 'Why (case number, approval), kept in the audit trail' }),
  },
  { additionalProperties: false },
);

export const GrantSchema = Type.Object({
  shareId: Type.String(),
  resourceCode: Type.String(),
  resourceName: Type.String(),
  providerDepartmentName: Type.String(),
  consumerDepartmentName: Type.String(),
  systemName: Type.Union([Type.String(), Type.Null()]),
  purpose: Type.String(),
  items: Type.Array(Type.String()),
  expiresAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  covert: Type.Boolean(),
  covertMarkedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export const GrantPageSchema = Type.Object({ items: Type.Array(GrantSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export type DataUse = Static<typeof DataUseSchema>;
export type AuditedDataUse = Static<typeof AuditedDataUseSchema>;
export type TrackedGrant = Static<typeof GrantSchema>;
