// TypeBox schemas of the exchange routes; the console imports their types (type-only), so only typebox here.
import { Type, type Static } from 'typebox';

const problemRef = Type.Ref('Problem');

/** Error answers of the gateway: the platform's, plus the upstream provider's failures. */
export const gatewayErrors = {
  400: problemRef,
  401: problemRef,
  403: problemRef,
  404: problemRef,
  429: problemRef,
  500: problemRef,
  502: problemRef,
  503: problemRef,
  504: problemRef,
} as const;

export const TokenBodySchema = Type.Object(
  {
    grant_type: Type.String({ maxLength: 50, description: 'client_credentials' }),
    client_id: Type.Optional(Type.String({ maxLength: 100, description: 'Unless sent with HTTP Basic' })),
    client_secret: Type.Optional(Type.String({ maxLength: 200, description: 'Unless sent with HTTP Basic' })),
    scope: Type.Optional(Type.String({ maxLength: 200, description: 'Ignored: a token carries the application’s grants' })),
  },
  { additionalProperties: false },
);

export const TokenSchema = Type.Object({
  access_token: Type.String({ description: 'Opaque bearer token (gcx_…, 256 random bits); send as Authorization: Bearer' }),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: 'Seconds until it expires' }),
});

/** The call's grant and purpose (required; checked after authentication so that a missing token answers 401 first). */
export const CallHeaders = Type.Object({
  'x-grant-id': Type.Optional(Type.String({ maxLength: 100, description: 'The data grant (share grant id) the call is made under' })),
  'x-purpose': Type.Optional(Type.String({ maxLength: 2000, description: 'Why the data is read (≤ 200 characters; percent-encode non-ASCII text)' })),
});

export const ResourceParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 64, description: 'Catalogue resource code' }) });
export const RowParams = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 64, description: 'Catalogue resource code' }),
  key: Type.String({ minLength: 1, maxLength: 500, description: 'The row key: key items’ values joined by U+001F' }),
});

const fields = Type.Optional(Type.String({ maxLength: 2000, pattern: '^[A-Za-z0-9_,]*$', description: 'Comma-separated items to return (default: every granted item)' }));

export const LookupQuery = Type.Object({ fields }, { additionalProperties: false });

export const SearchQuery = Type.Object(
  {
    fields,
    cursor: Type.Optional(Type.String({ maxLength: 600, description: 'Opaque cursor from a previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  { additionalProperties: Type.String({ maxLength: 200, description: 'Equality filter on a granted item: <item>=<value>' }) },
);

const Value = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);

export const RowsSchema = Type.Object({
  resource: Type.String(),
  grantId: Type.String(),
  items: Type.Array(Type.String(), { description: 'The items returned (granted, and asked for)' }),
  rows: Type.Array(Type.Record(Type.String(), Value), { description: 'Rows as the grant lets them out: masked per item' }),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const StatsQuerySchema = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date', description: 'First day (Beijing time); default 29 days before to' })),
    to: Type.Optional(Type.String({ format: 'date', description: 'Last day; default today' })),
    resourceId: Type.Optional(Type.String({ format: 'uuid' })),
    clientAppId: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { additionalProperties: false },
);

export const StatsRowSchema = Type.Object({
  day: Type.String({ format: 'date' }),
  clientAppId: Type.String(),
  clientName: Type.String(),
  consumerDepartmentId: Type.String(),
  consumerDepartmentName: Type.String(),
  resourceId: Type.String(),
  resourceCode: Type.String(),
  resourceName: Type.String(),
  providerDepartmentId: Type.String(),
  providerDepartmentName: Type.String(),
  calls: Type.Integer(),
  rows: Type.Integer(),
  refusals: Type.Integer(),
});

export const StatsSchema = Type.Object({
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date' }),
  rows: Type.Array(StatsRowSchema),
  totals: Type.Object({ calls: Type.Integer(), rows: Type.Integer(), refusals: Type.Integer() }),
});

export type ExchangeStats = Static<typeof StatsSchema>;
export type ExchangeStatsRow = Static<typeof StatsRowSchema>;
