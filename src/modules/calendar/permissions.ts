// The calendar module's permissions, in a pure file so the console's type-check sees them too (web/src/modules/calendar/module.tsx).
declare module '../../shared/access.ts' {
  interface PermissionRegistry {
    'calendar.read': true;
    'calendar.manage': true;
  }
}

export {};
