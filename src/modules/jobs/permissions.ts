// The jobs module's permissions, in a pure file so the console's type-check sees them too (web/src/modules/jobs/module.tsx).
declare module '../../shared/access.ts' {
  interface PermissionRegistry {
    'jobs.manage': true;
  }
}

export {};
