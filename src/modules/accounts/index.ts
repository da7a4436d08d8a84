// Public face of the accounts module.
export { AuthService, UserService, type AuthSettings, type Me, type NewUser } from './service.ts';
export { accountRoutes } from './routes.ts';
export { SessionRowCache } from './session-cache.ts';
export { assertPasswordPolicy, hashPassword } from './password.ts';
export type { UserRecord, UserBatchOptions, UserBatchResult } from './batch.ts';
