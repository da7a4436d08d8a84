// Public face of the public channels (issue 9 §7).
export { publicityModule } from './module.ts';
export type { PublicityService, ProgressQuery } from './service.ts';
export type { Progress, Disclosure, DisclosurePage, ScreenSnapshot } from './schema.ts';
export { publicitySettings, type PublicitySettings } from './config.ts';
