// The evaluation module's permissions, in a pure file so the console's type-check sees them too (web/src/modules/evaluation).
declare module '../../shared/access.ts' {
  interface PermissionRegistry {
    /** Ratings, complaints, scores and the ranking in one's region (supervisor, leader, auditor), or of one's own department (department_admin). */
    'evaluation.read': true;
    /** Compute and publish the monthly scores, decide and handle complaints (supervisor); a department admin decides its own department's complaints. */
    'evaluation.manage': true;
    /** Follow up bad ratings, record counter ratings and file complaints on behalf of applicants, for one's own department. */
    'evaluation.follow_up': true;
  }
}

export {};
