// Plain building blocks shared by every engine: progress and cancellation of long work, and
// writes that are acknowledged only once they are durable.
export * from './durableFile';
export * from './progress';
export * from './fileLock';
