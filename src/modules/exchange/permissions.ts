// The exchange module's permissions, in a pure file so the console's type-check sees them too.
declare module '../../shared/access.ts' {
  interface PermissionRegistry {
    /** Exchange statistics: a provider's resources, a consumer's client applications, or everything in the region. */
    'exchange.stats': true;
    /** A consuming system's call through the gateway (recorded in the access log; held through a data grant, not a role). */
    'exchange.call': true;
  }
}

export {};
