// Public face of the OA module (万人政务大OA).
export { oaModule } from './module.ts';
export { OaService, type DocumentInput, type DocumentView } from './service.ts';
export { sanitizeBody } from './sanitize.ts';
export * from './kinds.ts';
