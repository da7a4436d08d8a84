// The notices module's permissions, in a pure file so the console's type-check sees them too.
declare module '../../shared/access.ts' {
  interface PermissionRegistry {
    /** Notices sent in the jurisdiction, their templates, status counts and failures. */
    'notices.read': true;
    /** Compose, preview and send notices to residents of the jurisdiction; keep the templates of its regions. */
    'notices.send': true;
  }
}

export {};
