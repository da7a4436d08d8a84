// Public face of the datasets module: loads of catalogue resources and their current rows.
export { datasetsModule } from './module.ts';
export type { LoadStatus } from './tables.ts';
export { demoPopulation, type Resident } from './demo.ts';
export type { DatasetsService, LoadView, LoadStats } from './service.ts';
export { REJECTION_MESSAGES } from './errors.ts';
// the file readers and the report writers, reused by other imports (the community registry's resident files)
export { Decoder, csvBatches, xlsxRecords, type Encoding } from './sources.ts';
export { rejectionCsv, rejectionXlsx } from './report.ts';
export type { RejectionView } from './service.ts';
export type { Cell } from './validate.ts';
