// The VS Code extension: starts the Posology language server (bundled at
// dist/server/main.cjs, over node IPC), registers the commands CodeLens uses,
// and feeds VS Code's Test Explorer from the server. No language logic lives
// here: diagnostics, hover, completion, tests and verification all come from
// the server, so every editor gets the same answers.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { NODE_FLAGS } from '../../shared/node-flags.js';
import { snapshotArgs } from '../../bin/snapshot.cjs';
import { RUN_TESTS_COMMAND, VERIFY_REQUEST, type RunTestsParams, type VerifyResult } from '../../shared/custom-requests.js';
import { PosologyTests } from './test-controller.js';

/** What `activate` returns: for the extension's own tests and for other extensions. */
export interface PosologyApi {
  client: LanguageClient;
  tests: PosologyTests;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<PosologyApi> {
  // launch.cjs loads main.cjs through V8's code cache (bin/server-launch.cjs); once it has built
  // the server's startup snapshot, the server starts from that instead (bin/snapshot.cjs).
  const module = context.asAbsolutePath(path.join('dist', 'server', 'launch.cjs'));
  const snapshot = snapshotArgs(path.dirname(module), NODE_FLAGS);
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...NODE_FLAGS, ...snapshot] } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...NODE_FLAGS, '--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'dose' },
      { scheme: 'untitled', language: 'dose' },
    ],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.dose') },
    outputChannelName: 'Posology',
  };
  client = new LanguageClient('posology', 'Posology', serverOptions, clientOptions);
  const languageClient = client;
  await languageClient.start();

  const tests = new PosologyTests(languageClient);
  context.subscriptions.push(
    tests,
    vscode.commands.registerCommand(RUN_TESTS_COMMAND, (params: RunTestsParams) => tests.runFromLens(params)),
    vscode.commands.registerCommand('posology.verifyProtocol', () => verifyActive(languageClient)),
    vscode.commands.registerCommand('posology.restartServer', () => languageClient.restart()),
    vscode.commands.registerCommand('posology.showOutput', () => languageClient.outputChannel.show()),
  );
  return { client: languageClient, tests };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/** "Posology: Verify protocol": verification now, with a cancellable progress notification. */
async function verifyActive(languageClient: LanguageClient): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'dose') {
    void vscode.window.showInformationMessage('Open a .dose file to verify its protocols.');
    return;
  }
  const uri = languageClient.code2ProtocolConverter.asUri(editor.document.uri);
  let cancelledByUser = false;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Posology: verifying against the label', cancellable: true },
    (_progress, token) => {
      token.onCancellationRequested(() => (cancelledByUser = true));
      return languageClient.sendRequest<VerifyResult>(VERIFY_REQUEST, { uri }, token).catch(() => undefined);
    },
  );
  if (!result) {
    // Never silent: a verification that did not finish says so.
    if (!cancelledByUser) void vscode.window.showWarningMessage('Posology: verification did not finish (the file changed while it ran); run it again.');
    return;
  }
  if (!result.available) {
    void vscode.window.showInformationMessage('Verification is switched off (posology.verification.enabled).');
    return;
  }
  const lines = result.protocols.map((protocol) => {
    const states = `${protocol.statesExplored} of ${protocol.statesTotal} patient states`;
    switch (protocol.status) {
      case 'verified':
        return `${protocol.title}: verified (${states})`;
      case 'counterexamples':
        return `${protocol.title}: ${protocol.counterexamples} counterexample(s) (${states}); see the Problems panel`;
      default:
        return `${protocol.title}: ${protocol.status}${protocol.reason ? ` (${protocol.reason})` : ''}`;
    }
  });
  void vscode.window.showInformationMessage(lines.join('\n') || 'No protocol to verify in this file.');
}
