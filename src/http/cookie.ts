// Name of the session cookie, shared by the auth hook and the sign-in route.
export const SESSION_COOKIE = 'govcloud_sid';
