// Community statistics' permission, in a pure file so the console's type-check sees it too.
declare module '../../shared/access.ts' {
  interface PermissionRegistry {
    /** Counts of residents by region and dimension in the jurisdiction (no person is shown). */
    'census.read': true;
  }
}

export {};
