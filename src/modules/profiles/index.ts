// Public face of the profiles module (居民画像, fact flags, 重点人群 labels).
export { profilesModule } from './module.ts';
export { ProfileService, ageOn, isStale, type ConsumerInput } from './service.ts';
export type { Profile, ProfileSource, ProfileLabel, LabelCount } from './schema.ts';
export type * from './tables.ts';
