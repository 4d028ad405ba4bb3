// Price presets every engine prices its work with; reached only through this module.
export * from './compute';
