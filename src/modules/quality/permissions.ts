// The quality module's permissions, in a pure file so the console's type-check sees them too.
declare module '../../shared/access.ts' {
  interface PermissionRegistry {
    /** Quality figures of resources and the departments' ranking (质量评估与排名), in the caller's jurisdiction. */
    'quality.read': true;
  }
}

export {};
