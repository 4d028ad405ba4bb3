// Plain building blocks shared by every engine: progress and cancellation of long work, writes
// that are acknowledged only once they are durable, a cross-process file lock, and checksums
// computed on a worker thread while bytes stream past (and a cheap one, xxHash64, for reads).
export * from './durableFile';
export * from './folders';
export * from './progress';
export * from './fileLock';
export * from './processAlive';
export * from './steps';
export * from './progressText';
export * from './backgroundDigest';
export * from './fastHash';
