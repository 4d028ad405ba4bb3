// Plain building blocks shared by every engine: progress and cancellation of long work, writes
// that are acknowledged only once they are durable, and a cross-process file lock.
export * from './durableFile';
export * from './progress';
export * from './fileLock';
export * from './steps';
export * from './progressText';
