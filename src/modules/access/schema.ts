// TypeBox schemas of the share-grant API.
import { Type } from 'typebox';

export const Abilities = Type.Array(Type.String(), { description: 'What you may do to this row (e.g. revoke)' });

export const ShareSchema = Type.Object({
  id: Type.String(),
  resource: Type.String({ description: "The resource shared, e.g. 'users'" }),
  fields: Type.Array(Type.String(), { description: 'The fields the grantee may read' }),
  purpose: Type.String(),
  owner: Type.Object({ id: Type.String(), name: Type.String() }, { description: 'The department whose tree of rows is shared' }),
  grantee: Type.Object({
    kind: Type.Union([Type.Literal('department'), Type.Literal('client')]),
    id: Type.String(),
    name: Type.String(),
  }),
  expiresAt: Type.String(),
  createdAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('revoked')]),
  abilities: Abilities,
});

export const NewShareBody = Type.Object(
  {
    resource: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }),
    fields: Type.Array(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,39}$' }), { minItems: 1, maxItems: 50 }),
    purpose: Type.String({ minLength: 1, maxLength: 200 }),
    ownerDepartmentId: Type.String({ format: 'uuid' }),
    granteeDepartmentId: Type.Optional(Type.String({ format: 'uuid' })),
    granteeTokenId: Type.Optional(Type.String({ format: 'uuid', description: "A client application: the API token's id" })),
    expiresAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
