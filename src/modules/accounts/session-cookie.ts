// The session cookie as every sign-in route sets it (password, or password and SMS code).
import type { FastifyReply } from 'fastify';
import { SESSION_COOKIE } from '../../http/cookie.ts';

export interface CookieOptions {
  cookieSecure?: boolean;
  sessionMaxHours?: number;
}

export function setSessionCookie(reply: FastifyReply, sessionToken: string, options: CookieOptions): void {
  void reply.setCookie(SESSION_COOKIE, sessionToken, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: options.cookieSecure ?? false,
    maxAge: (options.sessionMaxHours ?? 12) * 3600,
  });
}
