// The self-service module's permissions, in a pure file so the console's type-check sees them too (web/src/modules/selfservice).
declare module '../../shared/access.ts' {
  interface PermissionRegistry {
    /** Request VMs (and resize or decommission them) for the holder's own department. */
    'cloud.request': true;
    /** The department step of a request: approve or reject requests of the holder's department tree. */
    'cloud.approve_department': true;
    /** The platform step of a request, and the approval policy (auto-approval thresholds). */
    'cloud.approve_platform': true;
    /** Start, stop, suspend, resume and snapshot the VMs of the holder's department tree (operators: their region). */
    'cloud.operate': true;
  }
}

export {};
