// The metering module's permissions, in a pure file so the console's type-check sees them too (web/src/modules/metering).
declare module '../../shared/access.ts' {
  interface PermissionRegistry {
    /** Read usage and chargeback within the grant's region (department administrators: their department tree). */
    'metering.read': true;
    /** Set the tariffs (platform operators). */
    'metering.tariffs.manage': true;
  }
}

export {};
