// The OA module's permissions, in a pure file so the console's type-check sees them too (web/src/modules/oa).
declare module '../../shared/access.ts' {
  interface PermissionRegistry {
    /** Draft and send documents from one's own department to departments, regions and roles within the grant's region. */
    'oa.send': true;
    /** Receive, read and sign for documents addressed to oneself (every staff role). */
    'oa.read': true;
    /** Read every document sent from within the grant's region, and its receipt table (leaders, discipline inspection). */
    'oa.archive': true;
  }
}

export {};
