// The NeuroLake language server: wiring only. Engines run here, off the editor's thread.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { version } from '../package.json';
import { publishCatalogChange, registerCatalogHandlers } from './handlers/catalog';
import { publishComputeChange, registerComputeHandlers } from './handlers/compute';
import { publishCostChange, registerCostHandlers } from './handlers/cost';
import { LANGUAGE_CAPABILITIES, registerLanguageHandlers } from './handlers/language';
import { registerSettingsHandlers } from './handlers/settings';
import { publishStatus, registerStatusHandlers } from './handlers/status';
import { publishStorageChange, registerStorageHandlers } from './handlers/storage';
import { registerStorageCloudHandlers, takeLaunchSecrets } from './handlers/storageCloud';
import { registerTemplateValueHandlers } from './handlers/templateValues';
import { normaliseSettings, type InitializationOptions } from './protocol';
import { Session } from './session';

const connection = createConnection(ProposedFeatures.all);
// Before anything can start a child process: these secrets are this process's alone.
const secrets = takeLaunchSecrets();
let session: Session | undefined;

/** Handlers run only after initialize, so a missing session is a protocol error worth naming. */
function currentSession(): Session {
  if (session === undefined) throw new Error('NeuroLake server received a request before initialize.');
  return session;
}

connection.onInitialize((params) => {
  const options = params.initializationOptions as Partial<InitializationOptions> | undefined;
  const settings = options?.settings ?? normaliseSettings(() => undefined).settings;
  session = new Session(
    { settings, workspaceFolder: options?.workspaceFolder, ...(secrets.cloudCredentials ? { cloudCredentials: secrets.cloudCredentials } : {}) },
    {
      statusChanged: (status) => publishStatus(connection, status),
      computeChanged: (change) => publishComputeChange(connection, change),
      storageChanged: (keys) => publishStorageChange(connection, keys),
      catalogChanged: (ids) => {
        publishCatalogChange(connection, ids);
        // Template files that name a catalog template are checked against its current declarations.
        language.refresh();
      },
      costChanged: (reason) => publishCostChange(connection, reason),
      log: (message) => connection.console.info(message),
      warn: (message) => {
        connection.console.warn(message);
        void connection.window.showWarningMessage(`NeuroLake: ${message}`);
      },
    },
  );
  return {
    capabilities: LANGUAGE_CAPABILITIES,
    serverInfo: { name: 'NeuroLake', version },
  };
});

registerStatusHandlers(connection, currentSession);
registerSettingsHandlers(connection, currentSession);
registerCatalogHandlers(connection, currentSession);
registerComputeHandlers(connection, currentSession);
registerStorageHandlers(connection, currentSession);
registerStorageCloudHandlers(connection, currentSession, secrets.sessionKey);
registerTemplateValueHandlers(connection);
registerCostHandlers(connection, currentSession);
const language = registerLanguageHandlers(connection, currentSession);

// The catalog compacts its journal on close, so the JSON file a team commits is complete.
connection.onShutdown(() => session?.dispose());

// A bug in one handler must not take the whole server down silently: say what happened.
process.on('unhandledRejection', (reason) => connection.console.error(`Unhandled rejection: ${String(reason)}`));

connection.listen();
