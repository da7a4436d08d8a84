// Public face of the other supervised matters (issue 9 §5).
export { mattersModule } from './module.ts';
export { MATTER_KINDS, MATTER_RULES, RULE_NAMES_ZH, LIMITS, type MatterKind, type MatterRule } from './kinds.ts';
export type { MattersService } from './service.ts';
