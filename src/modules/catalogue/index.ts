// Public face of the catalogue module (政务信息资源目录).
export { catalogueModule } from './module.ts';
export { loadResourceMeta, defaultMask, shareResourceOf, type ItemMeta, type ResourceMeta } from './meta.ts';
export type { ItemMask, ItemType, OpenAttr, ResourceClass, ShareMode, ShareType, UpdateCycle } from './tables.ts';
export type { CatalogueService, ResourceDetail, ResourceSummary, DemandView } from './service.ts';
export type { ResourceInput, ItemInput } from './rules.ts';
