// The storage engine's public face: everything other modules may use.
export * from './placement';
