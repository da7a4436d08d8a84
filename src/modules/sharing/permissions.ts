// The sharing module's permissions, in a pure file so the console's type-check sees them too (web/src/modules/sharing).
declare module '../../shared/access.ts' {
  interface PermissionRegistry {
    /** Apply for a resource's items for one's own department (共享申请). */
    'sharing.request': true;
    /** Answer requests made to one's own department; revoke its data grants. */
    'sharing.decide': true;
    /** 主管部门: decide escalated (unanswered) requests; revoke any data grant in the jurisdiction. */
    'sharing.authority': true;
    /** One's own department's client applications (consuming systems) and their credentials. */
    'clients.manage': true;
  }
}

export {};
