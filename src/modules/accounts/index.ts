// Public face of the accounts module.
export { AuthService, UserService, MAX_FAILED_LOGINS, LOCKOUT_MINUTES, type Me, type NewUser } from './service.ts';
export { accountRoutes } from './routes.ts';
export { assertPasswordPolicy, hashPassword } from './password.ts';
export { insertUser, insertGrant, setPasswordHash, findUserByUsername } from './repository.ts';
