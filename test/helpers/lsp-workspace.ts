// Throw-away workspaces on disk for the server tests that need real files
// (labels folders, symlinks, oversized files), and timing helpers for the
// tests that bound how long the server takes to answer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { LspClient } from './lsp-client.js';
import { readRepo } from './repo.js';

export const pomalidomideLabel = (): string => readRepo('labels', 'pomalidomide.dose');
export const pdProtocol = (): string => readRepo('examples', 'pd-multiple-myeloma.dose');

/** A fresh folder holding `files` (relative path to text); removed by `removeWorkspaces`. */
export function tempWorkspace(files: Record<string, string | Buffer> = {}, prefix = 'posology-lsp-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  created.push(dir);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const created: string[] = [];

export function removeWorkspaces(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export const fileUri = (file: string): string => pathToFileURL(file).href;

/** Settings with short quiet times, so tests wait for the server, not for timers. */
export function quickSettings(extra: { verification?: Record<string, unknown>; diagnostics?: Record<string, unknown>; workspace?: Record<string, unknown> } = {}) {
  return {
    settings: {
      diagnostics: { delayMs: 10, ...extra.diagnostics },
      verification: { delayMs: 50, ...extra.verification },
      workspace: { ...extra.workspace },
    },
  };
}

export async function startIn(root: string, initializationOptions: unknown = quickSettings()): Promise<LspClient> {
  return LspClient.start({ root, initializationOptions });
}

export const codesOf = (params: PublishDiagnosticsParams): string[] => params.diagnostics.map((diagnostic) => String(diagnostic.code));

export const messageOf = (diagnostic: Diagnostic): string => (typeof diagnostic.message === 'string' ? diagnostic.message : String(diagnostic.message));

/** The last diagnostics published for `uri` that contain `code`. */
export function withCode(client: LspClient, uri: string, code: string, timeoutMs = 15000): Promise<PublishDiagnosticsParams> {
  return client.diagnostics(uri, (params) => codesOf(params).includes(code), timeoutMs);
}

/** Runs `work` and returns its result with the milliseconds it took. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

/** Settles `promise` into its value or its JSON-RPC error code, without throwing. */
export function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T; at: number } | { ok: false; code: number | undefined; message: string; at: number }> {
  return promise.then(
    (value) => ({ ok: true as const, value, at: performance.now() }),
    (error: { code?: number; message?: string }) => ({ ok: false as const, code: error.code, message: String(error.message), at: performance.now() }),
  );
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
