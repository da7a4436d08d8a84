// Public face of the sharing module: sharing requests, data grants and client applications (consuming systems).
export { sharingModule } from './module.ts';
export { findDataGrant, maskRow, usable, type DataGrant } from './grants.ts';
export { hashClientSecret, verifyClientSecret, type ClientAppAuth } from './clients.ts';
