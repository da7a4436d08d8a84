// Public face of the notices module (定向通知): its manifest and service.
export { noticesModule } from './module.ts';
export { NoticeService, DISPATCH_TOPIC, SMS_PURPOSE, type DispatchOptions } from './service.ts';
export { VARIABLES, parseBody, fillSenderFields, renderResident, type ResidentFilterInput } from './variables.ts';
export type * from './tables.ts';
