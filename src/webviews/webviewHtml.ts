// What every NeuroLake webview panel shares: the panel itself (scripts on, only the extension's
// media/ and dist/ readable, the NeuroLake icon) and its page: a fresh nonce, a Content Security
// Policy that runs only the page's own bundled script and loads nothing from a network, the
// shared theme styles (media/webview.css) and then the page's own.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** A new editor panel for a NeuroLake webview, in the active column. */
export function createNeuroLakePanel(extensionUri: vscode.Uri, viewType: string, title: string): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel(viewType, title, vscode.ViewColumn.Active, {
    enableScripts: true,
    // The page loads only the bundled script and the styles; nothing from a network.
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist')],
    retainContextWhenHidden: false,
  });
  panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'neurolake.svg');
  return panel;
}

export interface WebviewPage {
  /** The document's title. */
  readonly title: string;
  /** Style sheets after media/webview.css, as paths under the extension: ['media', 'storagePlan.css']. */
  readonly styles: readonly (readonly string[])[];
  /** The bundled script, as a path under the extension: ['dist', 'storagePlan.js']. */
  readonly script: readonly string[];
  /** The markup inside <body>, before the script. */
  readonly body: string;
  /** More image sources than the extension's own, such as `data:`. */
  readonly imageSources?: readonly string[];
}

/** The whole HTML of `page` for `webview`, with a nonce of its own. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const uri = (path: readonly string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString();
  const nonce = randomBytes(16).toString('base64');
  // Scripts only with this page's nonce; styles only from the extension; nothing else at all.
  const csp = [
    `default-src 'none'`,
    ['img-src', webview.cspSource, ...(page.imageSources ?? [])].join(' '),
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const styles = [['media', 'webview.css'], ...page.styles].map((path) => `<link rel="stylesheet" href="${uri(path)}">`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles.join('\n')}
<title>${page.title}</title>
</head>
<body>
${page.body}
<script nonce="${nonce}" src="${uri(page.script)}"></script>
</body>
</html>`;
}
