// Grid work's permissions, in a pure file so the console's type-check sees them too (web/src/modules/gridwork).
declare module '../../shared/access.ts' {
  interface PermissionRegistry {
    /** 网格员: one's grids (or community), visits to residents there, reporting incidents. */
    'gridwork.work': true;
    /** 街道: accept incidents reported in the street and dispatch them to a responsible department with a deadline. */
    'gridwork.dispatch': true;
    /** The responsible department: conclude (办结) or return the incidents dispatched to it (own department tree). */
    'gridwork.handle': true;
    /** Leaders and supervisors: visits and incidents in the jurisdiction, read only. */
    'gridwork.read': true;
  }
}

export {};
