// The storage engine's public face: everything other modules may use.
export { StorageEngine, type StorageOpenOptions, type StoreOptions, type StoreSource, type RestoreOutcome, type StorageChange } from './storage';
export { StorageError, type StorageErrorCode } from './errors';
export { validateKey, MAX_KEY_BYTES } from './keys';
export {
  ARCHIVE_CLASSES,
  DEFAULT_CONFIG,
  applyEnvironment,
  checksSignedPayload,
  cloudAfterChange,
  configFile,
  defaultCloud,
  normaliseConfig,
  readStorageConfig,
  storageFolder,
  writeStorageConfig,
  type ArchiveClass,
  type ArchiveConfig,
  type CloudChange,
  type CloudConfig,
  type StorageConfig,
} from './config';
export { CloudTier } from './cloudTier';
export { testCloudConnection, type CloudTestFailure, type CloudTestOptions, type CloudTestResult, type CloudTestStep } from './connectionTest';
export type { AccessEntry } from './accessLog';
export type * from './types';
// The placement policies, so the cost engine and the benchmark replay a trace through the engine's own code.
export * from './placement';
