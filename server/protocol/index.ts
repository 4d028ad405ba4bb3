// The one protocol module shared by the extension (src/) and the server (server/): every custom
// message, the shapes it carries and the settings. Imports no engine and no JSON-RPC library.
export * from './descriptors';
export * from './status';
export * from './settings';
export * from './catalogEntry';
export * from './catalog';
export * from './templates';
export * from './templateValues';
export * from './progress';
export * from './compute';
export * from './cost';
export * from './storage';
