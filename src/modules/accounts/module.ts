// The accounts folder's two manifests: sign-in and sessions (`auth`), and the user directory (`users`). They are two
// services, as before, sharing this node's copy of session rows (UserService forgets a user's sessions there).
import type { Config } from '../../config.ts';
import type { Permission } from '../../shared/access.ts';
import { corePermission, defineModule, serviceOf } from '../../platform/module.ts';
import type { Services } from '../../services.ts';
import type { AuditService } from '../audit/index.ts';
import { accountRoutes } from './routes.ts';
import { SecondFactor } from './second-factor.ts';
import { AuthService, UserService, type AuthSettings } from './service.ts';
import * as passwordSetBy from './migrations/20261127T1461_users_password_set_by.ts';
import * as referenceIndexes from './migrations/20261202T0300_users_reference_indexes.ts';
import './tables.ts';

/** The sign-in and session settings taken from the configuration. */
export function authSettings(config: Config): AuthSettings {
  return {
    sessionIdleMinutes: config.sessionIdleMinutes,
    sessionMaxHours: config.sessionMaxHours,
    loginFailuresPerAddress: config.loginFailuresPerAddress,
    captchaAfterFailures: config.loginCaptchaAfter,
    captchaAfterAddressFailures: config.loginCaptchaAfterAddress,
    loginConcurrency: config.loginConcurrency,
    loginQueue: config.loginQueue,
    prefectureRegion: config.prefecture,
  };
}

/** Sign-in, second factor, sessions and API tokens. Without an SMS channel no second factor is asked. */
export const authModule = defineModule({
  name: 'auth',
  createService: ({ db, config, sms, clock, ...deps }): AuthService => {
    const audit = serviceOf<AuditService>(deps, 'audit');
    const secondFactor = sms ? new SecondFactor(db, audit, sms, { requireForAdmins: config.adminSecondFactor, clock }) : undefined;
    return new AuthService(db, audit, { ...authSettings(config), clock: () => clock.now().getTime() }, secondFactor);
  },
  routes: (app, services, deps) => accountRoutes(app, services as Services, deps),
  // every node on a shared PostgreSQL hears the others end sessions (D61); PGlite has one node, which forgets itself
  start: async ({ config, service }) => {
    if (config.databaseUrl === undefined) return { stop: async () => undefined };
    const listener = await service.listenForRevocations(config.databaseUrl);
    return { stop: () => listener.stop() };
  },
});

/** The user directory: accounts, their grants, activation and passwords set by administrators. */
export const usersModule = defineModule({
  name: 'users',
  permissions: ['users.read', 'users.read_sensitive', 'users.manage', 'users.manage_all', 'roles.grant', 'roles.grant_any'].map((p) => corePermission(p as Permission)),
  migrations: { '20261127T1461_users_password_set_by': passwordSetBy, '20261202T0300_users_reference_indexes': referenceIndexes },
  createService: (deps): UserService => new UserService(deps.db, serviceOf<AuditService>(deps, 'audit'), serviceOf<AuthService>(deps, 'auth').sessionRows, deps.clock),
});
