// Public face of self-service (issue 10 §2): VM requests, approvals, quotas, lifecycle.
export { selfserviceModule } from './module.ts';
export { SelfserviceService } from './service.ts';
export { VM_ACTION_SETTLED_TOPIC, type SettledMessage } from './notify.ts';
export { reservedAmounts, OPEN_STATES } from './requests.ts';
export type { RequestView, RequestSummary, RequestOptions } from './schema.ts';
export type * from './tables.ts';
