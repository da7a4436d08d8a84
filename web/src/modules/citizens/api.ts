// The citizen portal's calls (/api/citizen/…) over the generated client (CSRF header, problem+json errors); the
// shapes are read off docs/openapi.json. None broadcasts "session ended": the portal is outside the staff shell.
import { call, client, setCsrfToken } from '../../api/client.ts';
import type { BodyOf, ResponseOf } from '../../api/types.ts';

type CitizenSession = ResponseOf<'/api/citizen/me', 'get'>;
export type CitizenProfile = CitizenSession['profile'];
export type CodePurpose = BodyOf<'/api/citizen/codes', 'post'>['purpose'];

const quiet = { quiet401: true };

async function started(pending: Promise<CitizenSession>): Promise<CitizenProfile> {
  const session = await pending;
  setCsrfToken(session.csrfToken);
  return session.profile;
}

export const citizenApi = {
  me: (signal?: AbortSignal) => started(call(client.GET('/api/citizen/me', { signal }), quiet)),
  requestCode: (phone: string, purpose: CodePurpose) => call(client.POST('/api/citizen/codes', { body: { phone, purpose } }), quiet),
  register: (body: BodyOf<'/api/citizen/register', 'post'>) => started(call(client.POST('/api/citizen/register', { body }), quiet)),
  signIn: (body: BodyOf<'/api/citizen/sign-in', 'post'>) => started(call(client.POST('/api/citizen/sign-in', { body }), quiet)),
  signInWithCode: (phone: string, code: string) => started(call(client.POST('/api/citizen/sign-in/code', { body: { phone, code } }), quiet)),
  changePhone: (phone: string, code: string) => call(client.PUT('/api/citizen/me/phone', { body: { phone, code } }), quiet),
  changePassword: (currentPassword: string, newPassword: string) => call(client.POST('/api/citizen/me/password', { body: { currentPassword, newPassword } }), quiet),
  async signOut(): Promise<void> {
    await call(client.POST('/api/citizen/sign-out'), quiet);
    setCsrfToken(null);
  },
};
