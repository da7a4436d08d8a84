// HTTP routes of the citizen portal (/api/citizen/…), and the guard that keeps citizen sessions off every other route.
import { Type } from 'typebox';
import { SESSION_COOKIE } from '../../http/cookie.ts';
import { errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { RouteDeps } from '../../platform/module.ts';
import { forbidden } from '../../shared/errors.ts';
import { setSessionCookie, type AuthService } from '../accounts/index.ts';
import { ChangePasswordBody, ChangePhoneBody, CitizenSessionSchema, CodeRequestBody, CodeSentSchema, CodeSignInBody, PasswordSignInBody, ProfileSchema, RegisterBody } from './http-schema.ts';
import type { CitizenService } from './service.ts';

const PREFIX = '/api/citizen/';
/** Besides the citizen routes and public ones (sign-in, probes, documents): signing out. */
const ALSO_OPEN_TO_CITIZENS = new Set(['/api/auth/logout']);

/** Whether a route declares itself public (`security: []`), as the sign-in routes do. */
function isPublic(schema: unknown): boolean {
  const security = (schema as { security?: unknown } | undefined)?.security;
  return Array.isArray(security) && security.length === 0;
}

export function citizenRoutes(app: App, citizens: CitizenService, auth: AuthService, deps: RouteDeps): void {
  // A citizen's session is refused on every staff route, whatever the route checks itself (some only need a session).
  app.addHook('onRequest', async (request) => {
    if (request.ctx?.actor?.kind !== 'citizen') return;
    const url = request.routeOptions.url;
    if (url === undefined || !url.startsWith('/api/') || url.startsWith(PREFIX) || ALSO_OPEN_TO_CITIZENS.has(url) || isPublic(request.routeOptions.schema)) return;
    throw forbidden('citizen.staff_route', 'Citizen accounts may use the citizen portal’s routes only.');
  });

  const cookie = { cookieSecure: deps.cookieSecure, sessionMaxHours: deps.sessionMaxHours };
  const tags = ['citizens'];

  app.post(
    '/api/citizen/codes',
    {
      schema: {
        tags,
        summary: 'Send an SMS code to a mobile number (registration, sign-in, or a new number when signed in); rate-limited per number and address',
        // anonymous for registration and sign-in; change_phone needs the citizen's session
        security: [{}, { session: [] }],
        body: CodeRequestBody,
        response: { 202: CodeSentSchema, ...errorResponses, 503: Type.Ref('Problem') },
      },
    },
    async (request, reply) => reply.code(202).send(await citizens.requestCode(request.ctx, request.body)),
  );

  app.post(
    '/api/citizen/register',
    {
      config: { skipCsrf: true },
      schema: { tags, summary: 'Register a citizen account with the SMS code; signs in', security: [], body: RegisterBody, response: { 201: CitizenSessionSchema, ...errorResponses } },
    },
    async (request, reply) => {
      const session = await citizens.register(request.ctx, { ...request.body, userAgent: request.headers['user-agent'] ?? null });
      setSessionCookie(reply, session.sessionToken, cookie);
      return reply.code(201).send({ profile: session.profile, csrfToken: session.csrfToken });
    },
  );

  app.post(
    '/api/citizen/sign-in',
    {
      config: { skipCsrf: true },
      onRequest: async () => auth.assertSignInOpen(),
      schema: { tags, summary: 'Sign in with mobile number or ID number and password', security: [], body: PasswordSignInBody, response: { 200: CitizenSessionSchema, ...errorResponses } },
    },
    async (request, reply) => {
      const session = await citizens.signInWithPassword(request.ctx, { ...request.body, userAgent: request.headers['user-agent'] ?? null });
      setSessionCookie(reply, session.sessionToken, cookie);
      return { profile: session.profile, csrfToken: session.csrfToken };
    },
  );

  app.post(
    '/api/citizen/sign-in/code',
    {
      config: { skipCsrf: true },
      schema: { tags, summary: 'Sign in with an SMS code sent for sign-in', security: [], body: CodeSignInBody, response: { 200: CitizenSessionSchema, ...errorResponses } },
    },
    async (request, reply) => {
      const session = await citizens.signInWithCode(request.ctx, { ...request.body, userAgent: request.headers['user-agent'] ?? null });
      setSessionCookie(reply, session.sessionToken, cookie);
      return { profile: session.profile, csrfToken: session.csrfToken };
    },
  );

  app.get(
    '/api/citizen/me',
    { schema: { tags, summary: 'The signed-in citizen’s own record (ID number and phone masked)', response: { 200: CitizenSessionSchema, ...errorResponses } } },
    async (request) => ({ profile: await citizens.profile(request.ctx), csrfToken: request.csrfToken ?? '' }),
  );

  app.put(
    '/api/citizen/me/phone',
    { schema: { tags, summary: 'Move your account to a new mobile number confirmed by a change_phone code', body: ChangePhoneBody, response: { 200: ProfileSchema, ...errorResponses } } },
    async (request) => citizens.changePhone(request.ctx, request.body),
  );

  app.post(
    '/api/citizen/me/password',
    { schema: { tags, summary: 'Change your password; your other sessions end', body: ChangePasswordBody, response: { 204: Type.Null(), ...errorResponses } } },
    async (request, reply) => {
      await citizens.changePassword(request.ctx, request.sessionToken, request.body);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/citizen/sign-out',
    { schema: { tags, summary: 'Sign out; ends the session', response: { 204: Type.Null(), ...errorResponses } } },
    async (request, reply) => {
      await auth.logout(request.ctx, request.sessionToken);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );
}
