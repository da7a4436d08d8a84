// Request and response schemas of the accounts routes.
import { Type } from 'typebox';
import { ROLES, type Permission, type Role } from '../../shared/access.ts';
import { REGION_FILTER_PATTERN } from '../../shared/validators/region-code.ts';
import { PHONE_PATTERN, PLAIN_TEXT_PATTERN, USERNAME_MAX, USERNAME_MIN, USERNAME_PATTERN } from '../../shared/validators/text.ts';

export const RoleSchema = Type.Unsafe<Role>({ type: 'string', enum: [...ROLES], description: 'Role' });
// modules register permissions at start, so the list is checked by the service, not frozen into the schema here
export const PermissionSchema = Type.Unsafe<Permission>({ type: 'string', pattern: '^[a-z_]+\\.[a-z_]+$', maxLength: 64, description: 'Permission, e.g. users.read' });

export const Username = Type.String({ minLength: USERNAME_MIN, maxLength: USERNAME_MAX, pattern: USERNAME_PATTERN, description: 'Letters, digits and . _ @ -' });
const DisplayName = Type.String({ minLength: 1, maxLength: 100, pattern: PLAIN_TEXT_PATTERN });
export const RegionCode = Type.String({ pattern: REGION_FILTER_PATTERN, description: 'GB/T 2260 / NBS division code' });

const GrantView = Type.Object({ role: RoleSchema, regionCode: Type.String(), regionName: Type.String() });
const DepartmentRef = Type.Union([Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() }), Type.Null()]);

export const MeSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  kind: Type.Union([Type.Literal('staff'), Type.Literal('citizen')]),
  department: DepartmentRef,
  grants: Type.Array(GrantView),
  permissions: Type.Array(Type.String()),
  grantableRoles: Type.Array(RoleSchema, { description: 'The roles you may grant (empty without roles.grant)' }),
  shares: Type.Array(
    Type.Object({
      id: Type.String(),
      resource: Type.String({ description: "What is shared: a module's resource ('users') or a catalogue resource ('data:<code>')" }),
      permission: Type.Union([Type.String(), Type.Null()], { description: "The permission the share opens (e.g. 'users.read'), when it is one; it is listed in permissions too" }),
      fields: Type.Array(Type.String()),
      ownerDepartment: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() }),
      purpose: Type.String(),
      expiresAt: Type.String(),
      grantee: Type.Union([Type.Literal('department'), Type.Literal('client')], { description: "Granted to your department, or to the API token you call with" }),
    }),
    { description: 'Share grants you can use now (made to your department or to this token; not revoked, not expired): share-only access' },
  ),
});

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
    captchaId: Type.Optional(Type.String({ format: 'uuid', description: 'From POST /api/auth/captcha; required after repeated failed sign-ins' })),
    captchaAnswer: Type.Optional(Type.String({ minLength: 1, maxLength: 16 })),
  },
  { additionalProperties: false },
);

export const CaptchaSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  svg: Type.String({ description: 'The image as SVG markup (show it as an img with a data: URL)' }),
});

export const SessionResponse = Type.Object({ user: MeSchema, csrfToken: Type.String() });

export const UserSchema = Type.Object({
  id: Type.String(),
  access: Type.Union([Type.Literal('full'), Type.Literal('shared')], {
    description: "'full' through your roles; 'shared' through a share grant: only the granted fields are present",
  }),
  username: Type.Optional(Type.String()),
  displayName: Type.Optional(Type.String()),
  kind: Type.Optional(Type.Union([Type.Literal('staff'), Type.Literal('citizen')])),
  department: Type.Optional(DepartmentRef),
  phone: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Masked (138****5678) unless you hold users.read_sensitive over this account' })),
  email: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Masked (z***@example.cn) unless you hold users.read_sensitive over this account' })),
  status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
  activated: Type.Optional(Type.Boolean({ description: 'False until a password is set; such an account cannot sign in' })),
  lockedUntil: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Set while sign-in is locked after failed attempts' })),
  manageable: Type.Optional(Type.Boolean({ description: "Whether you may manage this account (abilities include 'update')" })),
  grants: Type.Optional(Type.Array(GrantView)),
  lastLoginAt: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  abilities: Type.Array(
    Type.Union([Type.Literal('update'), Type.Literal('disable'), Type.Literal('enable'), Type.Literal('unlock'), Type.Literal('reset_password'), Type.Literal('grant_roles')]),
    { description: 'What you may do to this account' },
  ),
});

export const NewUserBody = Type.Object(
  {
    username: Username,
    displayName: DisplayName,
    departmentId: Type.String({ format: 'uuid' }),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    phone: Type.Optional(Type.String({ pattern: PHONE_PATTERN })),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    grants: Type.Optional(Type.Array(Type.Object({ role: RoleSchema, regionCode: RegionCode }, { additionalProperties: false }), { maxItems: 20 })),
  },
  { additionalProperties: false },
);

export const TokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: PLAIN_TEXT_PATTERN }),
    scopes: Type.Array(Type.String({ maxLength: 50 }), { minItems: 1, maxItems: 20 }),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, default: 90 })),
  },
  { additionalProperties: false },
);

export const TokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  expiresAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});

export const NewTokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  expiresAt: Type.String(),
  createdAt: Type.String(),
  token: Type.String({ description: 'The secret; shown only once' }),
});


export const UserPatchBody = Type.Object(
  {
    displayName: Type.Optional(DisplayName),
    phone: Type.Optional(Type.Union([Type.String({ pattern: PHONE_PATTERN }), Type.Null()])),
    email: Type.Optional(Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()])),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const PasswordBody = Type.Object({ password: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false });

export const ChangePasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 128 }), newPassword: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
);

export const GrantBody = Type.Object({ role: RoleSchema, regionCode: RegionCode }, { additionalProperties: false });
