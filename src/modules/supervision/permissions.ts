// The supervision module's permissions, in a pure file so the console's type-check sees them too.
declare module '../../shared/access.ts' {
  interface PermissionRegistry {
    /** Read warnings, cards, orders and explanations: supervisors, leaders and auditors over their region; departments their own. */
    'supervision.read': true;
    /** Issue 督办 orders and decide them and 说明理由 explanations (纪检监察). */
    'supervision.order': true;
    /** Respond to an order and explain a card on behalf of one's own department. */
    'supervision.respond': true;
  }
}

export {};
