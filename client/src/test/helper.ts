// Shared steps of the extension tests: open a fixture, wait for the server.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PosologyApi } from '../extension.js';

export const fixtureRoot = path.resolve(__dirname, '..', '..', 'client', 'testFixture');

export function fixtureUri(name: string): vscode.Uri {
  return vscode.Uri.file(path.join(fixtureRoot, name));
}

export async function activate(): Promise<PosologyApi> {
  const extension = vscode.extensions.getExtension<PosologyApi>('posology.posology');
  if (!extension) throw new Error('the Posology extension is not installed in this VS Code');
  return extension.isActive ? extension.exports : extension.activate();
}

export async function open(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(name));
  return vscode.window.showTextDocument(document);
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function codeOf(diagnostic: vscode.Diagnostic): string {
  return String(typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code);
}

export function codes(uri: vscode.Uri): string[] {
  return vscode.languages.getDiagnostics(uri).map(codeOf);
}
