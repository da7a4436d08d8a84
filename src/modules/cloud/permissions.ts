// The cloud module's permissions, in a pure file so the console's type-check sees them too (web/src/modules/cloud).
declare module '../../shared/access.ts' {
  interface PermissionRegistry {
    /** Read the resource inventory, VMs and quotas within the grant's region (own department's for staff). */
    'cloud.read': true;
    /** Change the inventory: rooms, hosts, pools, zones, flavours, images, quotas (platform operators). */
    'cloud.manage': true;
    /** Manage the business systems of the holder's department tree. */
    'cloud.systems.manage': true;
  }
}

export {};
