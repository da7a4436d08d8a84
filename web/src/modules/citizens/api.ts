// The citizen portal's calls (/api/citizen/…), on the console's fetch wrapper (CSRF header, problem+json errors).
// The types come from the server's own TypeBox schemas (type-only: nothing of the server reaches the bundle).
import type { CitizenProfile, CodePurposeName as CodePurpose, CodeSent } from '../../../../src/modules/citizens/http-schema.ts';
import { request, setCsrfToken } from '../../api.ts';

export type { CitizenProfile, CodePurpose };

interface CitizenSession {
  profile: CitizenProfile;
  csrfToken: string;
}

async function started(call: Promise<CitizenSession>): Promise<CitizenProfile> {
  const session = await call;
  setCsrfToken(session.csrfToken);
  return session.profile;
}

export const citizenApi = {
  me: (signal?: AbortSignal) => started(request<CitizenSession>('GET', '/api/citizen/me', { signal, quiet401: true })),
  requestCode: (phone: string, purpose: CodePurpose) => request<CodeSent>('POST', '/api/citizen/codes', { body: { phone, purpose }, quiet401: true }),
  register: (body: { name: string; idNumber: string; phone: string; password: string; code: string }) =>
    started(request<CitizenSession>('POST', '/api/citizen/register', { body, quiet401: true })),
  signIn: (body: { identifier: string; password: string; captchaId?: string; captchaAnswer?: string }) =>
    started(request<CitizenSession>('POST', '/api/citizen/sign-in', { body, quiet401: true })),
  signInWithCode: (phone: string, code: string) => started(request<CitizenSession>('POST', '/api/citizen/sign-in/code', { body: { phone, code }, quiet401: true })),
  changePhone: (phone: string, code: string) => request<CitizenProfile>('PUT', '/api/citizen/me/phone', { body: { phone, code }, quiet401: true }),
  changePassword: (currentPassword: string, newPassword: string) => request<void>('POST', '/api/citizen/me/password', { body: { currentPassword, newPassword }, quiet401: true }),
  async signOut(): Promise<void> {
    await request<void>('POST', '/api/citizen/sign-out', { quiet401: true });
    setCsrfToken(null);
  },
};
