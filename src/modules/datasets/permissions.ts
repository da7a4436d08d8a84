// The datasets module's permissions, in a pure file so the console's type-check sees them too.
declare module '../../shared/access.ts' {
  interface PermissionRegistry {
    /** Upload files and push rows into the own department's catalogue resources; their loads, reports and rows. */
    'datasets.load': true;
  }
}

export {};
