// The language client library, bundled apart (dist/client.js) and loaded when the server starts,
// just after activate() returns: it is most of the extension's code, and the editor need not
// parse it before NeuroLake is activated.
export { LanguageClient, State, TransportKind, WorkDoneProgress } from 'vscode-languageclient/node';
export { BoundedRestartErrorHandler } from '../errorHandler';
