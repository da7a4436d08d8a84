// The catalogue module's permissions, in a pure file so the console's type-check sees them too.
declare module '../../shared/access.ts' {
  interface PermissionRegistry {
    /** Browse and search the resource catalogue, read versions, export; register data demands. */
    'catalogue.read': true;
    /** Create, update, publish and withdraw resources (own department's; region-wide for platform roles); answer demands. */
    'catalogue.manage': true;
  }
}

export {};
