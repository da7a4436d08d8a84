// The residents module's permissions, in a pure file so the console's type-check sees them too.
declare module '../../shared/access.ts' {
  interface PermissionRegistry {
    /** 人员综合视图: a person's facts from the resources the caller's department holds grants on (each read logged). */
    'residents.read': true;
  }
}

export {};
