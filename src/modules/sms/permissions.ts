// The sms module's permissions, in a pure file so the console's type-check sees them too (web/src/modules/sms/module.tsx).
declare module '../../shared/access.ts' {
  interface PermissionRegistry {
    /** The sending history, templates, opt-outs and the demo inbox. */
    'sms.read': true;
    /** Templates and the opt-out register. */
    'sms.manage': true;
    /** Sending a message from the console or the API. */
    'sms.send': true;
  }
}

export {};
