// Public face of the regions module.
export { importRegions, prefectureNameOf, type ImportOptions, type ImportResult } from './importer.ts';
export { RegionService, type RegionDetail, type RegionTreeNode, type RegionListQuery } from './service.ts';
export { regionRoutes } from './routes.ts';
export { currentRegions, findRegion, type Region, type HistoryEntry } from './repository.ts';
export { isCalendarDate, resolveNameAt, todayInChina } from './effective.ts';
