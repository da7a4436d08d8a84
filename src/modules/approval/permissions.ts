// The approval module's permissions, in a pure file so the console's type-check sees them too (web/src/modules/approval).
declare module '../../shared/access.ts' {
  interface PermissionRegistry {
    /** Read the item catalogue and cases within the grant's region (leaders, supervisors, auditors, staff). */
    'approval.read': true;
    /** Create, change and retire service items (platform administrators; department administrators for their tree). */
    'approval.items.manage': true;
    /** Register and handle cases of the holder's department tree (受理、审查、决定、办结、送达). */
    'approval.handle': true;
    /** Approve or refuse an extension of the statutory limit (延长) for the holder's department tree. */
    'approval.extend': true;
  }
}

export {};
