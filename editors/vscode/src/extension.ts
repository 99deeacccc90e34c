// The Plan extension: starts plan-lsp over stdio for `.plan` files and adds two commands.
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  InlayHintRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';

import { costReportMarkdown, costReportParams } from './costReport';
import { missingServerMessage, resolveServerPath, SETTING } from './serverPath';

const OPEN_SETTINGS = 'Open Settings';

let client: LanguageClient | undefined;
// One channel for the whole session, so that the log of a crashed server survives a restart.
let output: vscode.OutputChannel | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('Plan');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('plan.showCostReport', showCostReport),
    vscode.commands.registerCommand('plan.restartServer', restartServer),
    vscode.workspace.onDidChangeConfiguration(onConfigurationChanged),
  );
  await startServer();
}

export async function deactivate(): Promise<void> {
  await stopServer();
}

function costHintsEnabled(): boolean {
  return vscode.workspace.getConfiguration('plan').get<boolean>('inlayHints.cost', true);
}

async function startServer(): Promise<void> {
  const setting = vscode.workspace.getConfiguration('plan').get<string>('server.path', '');
  const command = resolveServerPath({ setting, cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath });
  if (command === undefined) {
    // Highlighting and snippets still work without the server: report, do not throw.
    output?.appendLine(missingServerMessage(setting));
    void showError(missingServerMessage(setting));
    return;
  }

  const serverOptions: ServerOptions = { command, transport: TransportKind.stdio };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'plan' },
      { scheme: 'untitled', language: 'plan' },
    ],
    outputChannel: output,
    middleware: {
      // The server's inlay hints are monthly-cost hints; the setting turns them off.
      provideInlayHints: (document, range, token, next) =>
        costHintsEnabled() ? next(document, range, token) : [],
    },
  };
  // The id `plan` makes the client read the `plan.trace.server` setting.
  client = new LanguageClient('plan', 'Plan', serverOptions, clientOptions);
  try {
    await client.start();
    output?.appendLine(`Started ${command}`);
  } catch (error) {
    client = undefined;
    void showError(`Plan: the language server ${command} failed to start: ${errorText(error)}`);
  }
}

async function stopServer(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch (error) {
      output?.appendLine(`Stopping the language server failed: ${errorText(error)}`);
    }
  }
}

async function restartServer(): Promise<void> {
  await stopServer();
  await startServer();
}

async function onConfigurationChanged(event: vscode.ConfigurationChangeEvent): Promise<void> {
  if (event.affectsConfiguration(SETTING)) {
    await restartServer();
  } else if (event.affectsConfiguration('plan.inlayHints.cost') && client) {
    // Ask VS Code to query the hints again, now through the changed middleware.
    const feature = client.getFeature(InlayHintRequest.method);
    for (const editor of vscode.window.visibleTextEditors) {
      feature.getProvider(editor.document)?.onDidChangeInlayHints.fire();
    }
  }
}

async function showCostReport(): Promise<void> {
  if (!client || !client.isRunning()) {
    void showError('Plan: the language server is not running, so there is no cost report. Run "Plan: Restart Language Server" or check plan.server.path.');
    return;
  }
  let result: unknown;
  try {
    result = await client.sendRequest(ExecuteCommandRequest.type, costReportParams());
  } catch (error) {
    void vscode.window.showErrorMessage(`Plan: the cost report failed: ${errorText(error)}`);
    return;
  }
  const markdown = costReportMarkdown(result);
  if (markdown instanceof Error) {
    void vscode.window.showErrorMessage(markdown.message);
    return;
  }
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
  await vscode.window.showTextDocument(document, { preview: false });
  await vscode.commands.executeCommand('markdown.showPreview', document.uri);
}

/** An error notification with a button that opens the `plan.server.path` setting. */
async function showError(message: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, OPEN_SETTINGS);
  if (choice === OPEN_SETTINGS) {
    await vscode.commands.executeCommand('workbench.action.openSettings', SETTING);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
