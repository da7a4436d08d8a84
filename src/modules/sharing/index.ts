// Public face of the sharing module: sharing requests, data grants and client applications (consuming systems).
export { sharingModule, type Sharing } from './module.ts';
export { findDataGrant, maskRow, usable, type DataGrant } from './grants.ts';
export { hashClientSecret, verifyClientSecret, type ClientAppAuth } from './clients.ts';
export { SharingService, ANSWER_WORKING_DAYS, REMIND_WORKING_DAYS, type RequestView, type GrantView, type NewRequest, type Decision } from './service.ts';
export { ClientAppService, ROTATION_GRACE_MS, type ClientView } from './client-apps.ts';
export { DEMO_CLIENT } from './demo.ts';
