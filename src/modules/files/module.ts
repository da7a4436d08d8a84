// The files module's manifest: one attachment store for every module.
import { defineModule } from '../../platform/module.ts';
import type { AuditService } from '../audit/index.ts';
import { LocalBlobStore } from './blob-store.ts';
import * as fileRecord from './migrations/20261127T0931_files_file_record.ts';
import * as referenceIndexes from './migrations/20261202T0302_files_reference_indexes.ts';
import { userFileOwner } from './owners.ts';
import { fileRoutes } from './routes.ts';
import { FileService } from './service.ts';

export const filesModule = defineModule({
  name: 'files',
  migrations: { '20261127T0931_files_file_record': fileRecord, '20261202T0302_files_reference_indexes': referenceIndexes },
  createService({ db, config, services }) {
    const files = new FileService(db, services.audit as AuditService, new LocalBlobStore(config.filesDir));
    files.registerOwner('user', userFileOwner(db));
    return files;
  },
  routes(app, services) {
    fileRoutes(app, services.files as FileService);
  },
  // blobs no record names any more (a failed upload's, or once records can be deleted) are removed at night
  schedules: ({ service, clock }) => [{ name: 'files.collect-garbage', cron: '30 3 * * *', run: async () => void (await service.collectGarbage(clock.now())) }],
});
