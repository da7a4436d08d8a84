// The feeds module's permissions, in a pure file so the console's type-check sees them too.
declare module '../../shared/access.ts' {
  interface PermissionRegistry {
    /** Change-feed subscriptions of the own department's client applications, and those on its resources. */
    'feeds.manage': true;
    /** A client application's call of the exchange (declared by the exchange module; named here for the access log). */
    'exchange.call': true;
  }
}

export {};
