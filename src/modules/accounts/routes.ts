// HTTP routes for sign-in, sessions, API tokens and the user directory.
import { Type } from 'typebox';
import { SESSION_COOKIE } from '../../http/cookie.ts';
import { CountedPage, PageQuery, SearchTerm, Uuid, errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';
import { SecondFactorResponse } from './second-factor-schema.ts';
import { secondFactorRoutes } from './second-factor-routes.ts';
import { setSessionCookie } from './session-cookie.ts';
import { USER_COUNT_CAP } from './repository.ts';
import { CaptchaSchema, ChangePasswordBody, GrantBody, LoginBody, NewTokenSchema, NewUserBody, PasswordBody, RoleSchema, RegionCode, SessionResponse, TokenBody, TokenSchema, UserPatchBody, UserSchema } from './schema.ts';

export function accountRoutes(app: App, services: Services, options: { cookieSecure?: boolean; sessionMaxHours?: number } = {}): void {
  app.post(
    '/api/auth/login',
    {
      config: { skipCsrf: true },
      // Shed load before the body is read and validated, so a storm of sign-ins costs the event loop little.
      onRequest: async () => services.auth.assertSignInOpen(),
      schema: {
        tags: ['auth'],
        summary: 'Sign in; sets the session cookie, or (administrators) sends an SMS code to complete with /api/auth/second-factor',
        security: [],
        body: LoginBody,
        response: { 200: Type.Union([SessionResponse, SecondFactorResponse]), ...errorResponses },
      },
    },
    async (request, reply) => {
      // a client that disconnects while its sign-in waits for a turn leaves the queue (see SignInGate)
      const gone = new AbortController();
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) gone.abort();
      });
      const result = await services.auth.login(request.ctx, { ...request.body, userAgent: request.headers['user-agent'] ?? null }, gone.signal);
      if ('secondFactor' in result) return result;
      setSessionCookie(reply, result.sessionToken, options);
      return { user: result.user, csrfToken: result.csrfToken };
    },
  );

  secondFactorRoutes(app, services, options);

  app.post(
    '/api/auth/captcha',
    {
      config: { skipCsrf: true },
      schema: { tags: ['auth'], summary: 'A captcha for sign-in (single-use, valid 5 minutes)', security: [], response: { 200: CaptchaSchema, ...errorResponses } },
    },
    async (_request, reply) => {
      void reply.header('cache-control', 'no-store');
      return services.auth.captcha();
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], summary: 'Sign out; ends the session', response: { 204: Type.Null(), ...errorResponses } } },
    async (request, reply) => {
      await services.auth.logout(request.ctx, request.sessionToken);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    { schema: { tags: ['auth'], summary: 'The signed-in user, roles and permissions', response: { 200: SessionResponse, ...errorResponses } } },
    async (request) => {
      return { user: await services.auth.me(request.ctx.actor), csrfToken: request.csrfToken ?? '' };
    },
  );

  app.get(
    '/api/tokens',
    { schema: { tags: ['auth'], summary: 'Your API tokens', response: { 200: Type.Object({ items: Type.Array(TokenSchema) }), ...errorResponses } } },
    async (request) => ({ items: await services.auth.listTokens(request.ctx) }),
  );

  app.post(
    '/api/tokens',
    { schema: { tags: ['auth'], summary: 'Create an API token for a machine client (secret shown once)', body: TokenBody, response: { 201: NewTokenSchema, ...errorResponses } } },
    async (request, reply) => {
      const token = await services.auth.createToken(request.ctx, { ...request.body, expiresInDays: request.body.expiresInDays ?? 90 });
      return reply.code(201).send(token);
    },
  );

  app.delete(
    '/api/tokens/:id',
    { schema: { tags: ['auth'], summary: 'Revoke one of your API tokens', params: Type.Object({ id: Uuid }), response: { 204: Type.Null(), ...errorResponses } } },
    async (request, reply) => {
      await services.auth.revokeToken(request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/users',
    {
      schema: {
        tags: ['users'],
        summary: `Users in your jurisdiction, by department in the customary order then user name, with the total (counted up to ${USER_COUNT_CAP})`,
        querystring: Type.Object({ q: Type.Optional(SearchTerm), departmentId: Type.Optional(Uuid), ...PageQuery }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            ...CountedPage(UserSchema).properties,
            totalExact: Type.Boolean({ description: `false when more than ${USER_COUNT_CAP} users match: total is then ${USER_COUNT_CAP}, a lower bound ("${USER_COUNT_CAP}+")` }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => services.users.list(request.ctx, request.query),
  );

  app.get(
    '/api/users/:id',
    { schema: { tags: ['users'], summary: 'One user', params: Type.Object({ id: Uuid }), response: { 200: UserSchema, ...errorResponses } } },
    async (request) => services.users.get(request.ctx, request.params.id),
  );

  app.post(
    '/api/users',
    { schema: { tags: ['users'], summary: 'Create a staff account with role grants', body: NewUserBody, response: { 201: UserSchema, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await services.users.create(request.ctx, request.body)),
  );

  app.post(
    '/api/auth/password',
    { schema: { tags: ['auth'], summary: 'Change your own password; your other sessions end', body: ChangePasswordBody, response: { 204: Type.Null(), ...errorResponses } } },
    async (request, reply) => {
      await services.auth.changePassword(request.ctx, request.sessionToken, request.body);
      return reply.code(204).send(null);
    },
  );

  const UserId = Type.Object({ id: Uuid });

  app.patch(
    '/api/users/:id',
    { schema: { tags: ['users'], summary: 'Change name, contact details or status (disabling ends sessions)', params: UserId, body: UserPatchBody, response: { 200: UserSchema, ...errorResponses } } },
    async (request) => services.users.update(request.ctx, request.params.id, request.body),
  );

  app.post(
    '/api/users/:id/password',
    { schema: { tags: ['users'], summary: 'Set a password: activates the account or resets it, lifting any lockout', params: UserId, body: PasswordBody, response: { 204: Type.Null(), ...errorResponses } } },
    async (request, reply) => {
      await services.users.setPassword(request.ctx, request.params.id, request.body.password);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/users/:id/unlock',
    { schema: { tags: ['users'], summary: 'Lift a sign-in lockout', params: UserId, response: { 204: Type.Null(), ...errorResponses } } },
    async (request, reply) => {
      await services.users.unlock(request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/users/:id/grants',
    { schema: { tags: ['users'], summary: 'Grant a role over a region subtree', params: UserId, body: GrantBody, response: { 200: UserSchema, ...errorResponses } } },
    async (request) => services.users.addGrant(request.ctx, request.params.id, request.body),
  );

  app.delete(
    '/api/users/:id/grants/:role/:regionCode',
    {
      schema: {
        tags: ['users'],
        summary: 'Withdraw a role grant',
        params: Type.Object({ id: Uuid, role: RoleSchema, regionCode: RegionCode }),
        response: { 200: UserSchema, ...errorResponses },
      },
    },
    async (request) => services.users.removeGrant(request.ctx, request.params.id, { role: request.params.role, regionCode: request.params.regionCode }),
  );
}
