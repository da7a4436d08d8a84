// HTTP routes of the second sign-in step: submit the SMS code (opens the session) or ask for a new one.
import { errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';
import { SessionResponse } from './schema.ts';
import { ResendBody, SecondFactorBody, SecondFactorResponse } from './second-factor-schema.ts';
import { setSessionCookie, type CookieOptions } from './session-cookie.ts';

export function secondFactorRoutes(app: App, services: Services, options: CookieOptions): void {
  app.post(
    '/api/auth/second-factor',
    {
      config: { skipCsrf: true },
      schema: {
        tags: ['auth'],
        summary: 'Complete a sign-in with the SMS code; sets the session cookie',
        security: [],
        body: SecondFactorBody,
        response: { 200: SessionResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await services.auth.completeSecondFactor(request.ctx, { ...request.body, userAgent: request.headers['user-agent'] ?? null });
      setSessionCookie(reply, result.sessionToken, options);
      return { user: result.user, csrfToken: result.csrfToken };
    },
  );

  app.post(
    '/api/auth/second-factor/resend',
    {
      config: { skipCsrf: true },
      schema: { tags: ['auth'], summary: 'Send a new sign-in code (once a minute)', security: [], body: ResendBody, response: { 200: SecondFactorResponse, ...errorResponses } },
    },
    async (request) => services.auth.resendSecondFactor(request.ctx, request.body.challengeId),
  );
}
