// The community registry's permissions, in a pure file so the console's type-check sees them too.
declare module '../../shared/access.ts' {
  interface PermissionRegistry {
    /** Residents, households, buildings and grids in the jurisdiction (ID numbers and phones masked). */
    'community.read': true;
    /** Register, edit, move and import residents, households, buildings and grids in the jurisdiction. */
    'community.manage': true;
    /** Full ID numbers and phones of residents in the jurisdiction (each such read goes to the access log). */
    'community.read_sensitive': true;
  }
}

export {};
