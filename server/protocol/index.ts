// The one protocol module shared by the extension (src/) and the server (server/).
export * from './messages';
export * from './settings';
export * from './types';
export * from './catalog';
export * from './templates';
export * from './progress';
