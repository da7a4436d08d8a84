// The extranet module's permissions, in a pure file so the console's type-check sees them too (web/src/modules/extranet).
declare module '../../shared/access.ts' {
  interface PermissionRegistry {
    /** Read the extranet topology, coverage and failure analysis within the grant's region (own connection for a department). */
    'extranet.read': true;
    /** Change nodes, links, connections and probe settings, and run the probes (platform operators). */
    'extranet.manage': true;
  }
}

export {};
