// Fixtures for the unit tests of the LSP feature functions: a document analysed
// against the repository's pomalidomide label without a server, and `<|>`
// cursor markers that pick an offset in the text.
import fs from 'node:fs';
import path from 'node:path';
import type { AnalysedDocument } from '../../server/src/lsp/features/document.js';
import { analyseText } from '../../server/src/lsp/session/workspace.js';
import { repoRoot } from './lsp-client.js';

export const LABEL_PATH = path.join(repoRoot, 'labels', 'pomalidomide.dose');
export const labelText = fs.readFileSync(LABEL_PATH, 'utf8');
export const PROTOCOL_PATH = path.join(repoRoot, 'examples', 'fixture.dose');

export const CURSOR = '<|>';

/** The text without its `<|>` marker, and the marker's offset. */
export function cursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf(CURSOR);
  if (offset < 0) throw new Error('the fixture has no <|> marker');
  return { text: marked.slice(0, offset) + marked.slice(offset + CURSOR.length), offset };
}

export function analyse(text: string, file = PROTOCOL_PATH): AnalysedDocument {
  return analyseText(file, text, [{ path: LABEL_PATH, text: labelText }]);
}

/** A protocol for multiple myeloma around `body` (indented by the caller). */
export function protocol(body: string): string {
  return `protocol "fixture" {\n  drug pomalidomide\n  indication multiple_myeloma\n  start 4 mg oral once daily days 1-21 cycle 28 days\n${body}\n}\n`;
}
