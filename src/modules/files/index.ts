// Public face of the files module.
export { filesModule } from './module.ts';
export { FileService, type FileOwner, type FileUse, type FileView, type OwnerAccess } from './service.ts';
export { LocalBlobStore, type BlobStore } from './blob-store.ts';
export { TYPES as FILE_TYPES, type DetectedType } from './detect.ts';
export { AVATAR_USE, MATERIAL_USE } from './owners.ts';
