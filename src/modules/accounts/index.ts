// Public face of the accounts module.
export { AuthService, UserService, maskPhone, type AuthSettings, type LoginResult, type Me, type NewUser } from './service.ts';
export { accountRoutes } from './routes.ts';
export { SessionRowCache } from './session-cache.ts';
export { assertPasswordPolicy, hashPassword } from './password.ts';
export { setSessionCookie, type CookieOptions } from './session-cookie.ts';
export { consumeCaptcha } from './captcha.ts';
export { accountsTodoProvider, ACTIVATION_WORKING_DAYS } from './todo.ts';
export type { UserRecord, UserBatchOptions, UserBatchResult } from './batch.ts';
