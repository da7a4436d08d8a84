// The profiles module's permissions, in a pure file so the console's type-check sees them too.
declare module '../../shared/access.ts' {
  interface PermissionRegistry {
    /** Choose the consumer whose grants the resident profile reads through, and the resources behind each fact flag. */
    'profiles.manage': true;
  }
}

export {};
