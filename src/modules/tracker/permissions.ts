// The tracker module's permissions, in a pure file so the console's type-check sees them too.
declare module '../../shared/access.ts' {
  interface PermissionRegistry {
    /** Any person's data-use record (数据使用记录) by ID number; each lookup is itself recorded in the access log. */
    'tracker.read': true;
    /** Mark a data grant covert (隐蔽调查) so its reads stay hidden from the citizen, or lift the marking. */
    'tracker.covert': true;
  }
}

export {};
