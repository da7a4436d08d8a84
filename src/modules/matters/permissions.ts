// The matters module's permissions, in a pure file so the console's type-check sees them too.
declare module '../../shared/access.ts' {
  interface PermissionRegistry {
    /** Supervised matters and their warnings in the region subtree (纪检监察, 领导, 审计). */
    'matters.read': true;
    /** Record and change the matters of one's own department tree (the owning department's staff). */
    'matters.manage': true;
  }
}

export {};
