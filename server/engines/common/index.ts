// Plain building blocks shared by every engine: progress and cancellation of long work.
export * from './progress';
export * from './steps';
export * from './progressText';
