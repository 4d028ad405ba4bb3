// The runtime: opens the engines of one data folder, reports their states and closes them. The
// server's session and the CLI both open it, so both see the same files.
export { Runtime, type ChangeEventOf, type EngineReport, type RuntimeOptions, type RuntimeStatus } from './runtime';
export { EngineUnavailableError, type Engine, type EngineContext, type EngineName, type EngineRegistration, type EngineRegistry, type EngineStatus } from './engine';
export { ENGINES, type DefaultEngines } from './engines';
export { CATALOG_FILE_NAME, defaultOwner, resolveCatalogFile, resolveLocation, type Location, type LocationChoice } from './location';
export { checkDataFolder, defaultDataFolderContext, resolveDataFolder, type DataFolderContext } from './dataFolder';
export { engineComputeSettings, type ComputeSettingsResult } from './computeSettings';
