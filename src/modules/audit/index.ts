// Public face of the audit module.
export { AuditService, type AuditEntry, type AuditRecord, type VerifyResult } from './service.ts';
export { hashAlgorithm } from './chain.ts';
export { auditRoutes } from './routes.ts';
export { CheckpointStore, type Checkpoint } from './checkpoints.ts';
export type { AccessRecordInput } from './access-service.ts';
export { storableText, storableJson } from './chain.ts';
