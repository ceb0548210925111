// `--format sarif`: SARIF 2.1.0 for code-scanning dashboards. Rules come from
// the one message table, so every code a result uses is described, with the
// same help the docs give; each result carries a fingerprint that survives
// lines moving, so a dashboard tracks a finding across commits.
// `npm test` validates the output with the SARIF multitool (test/cli/sarif.test.ts).
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as sarif from 'sarif';
import { diagnosticsByCode, type Diagnostic, type Severity } from '../diagnostics/messages.js';
import type { FindingRow, Location, RunOutput } from './rows.js';

const levels: Record<Severity, sarif.Result.level> = { error: 'error', warning: 'warning', information: 'note' };

function region(location: Location): sarif.Region {
  return { startLine: location.line, startColumn: location.column, endLine: location.endLine, endColumn: location.endColumn };
}

/**
 * A file as a URI: relative to %SRCROOT% (the working directory) when it is below it, else a
 * file: URL. Each path segment is percent-encoded, `#` and `?` included (encodeURI keeps them,
 * and a reader would take them for a fragment or a query).
 */
export function artifactLocation(file: string): sarif.ArtifactLocation {
  if (path.isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function physical(location: Location): sarif.Location {
  return { physicalLocation: { artifactLocation: artifactLocation(location.file), region: region(location) } };
}

/** The line a finding is on, as the snippet and context a dashboard shows without the repository. */
function withSnippet(location: sarif.Location, row: FindingRow): sarif.Location {
  const physicalLocation = location.physicalLocation;
  if (!physicalLocation?.region) return location;
  // Only for a region within one line: the snippet is its text, the context its whole line.
  if (row.endLine !== row.line || row.endColumn <= row.column) return location;
  const snippet = row.sourceLine.slice(row.column - 1, row.endColumn - 1);
  return {
    ...location,
    physicalLocation: {
      ...physicalLocation,
      region: { ...physicalLocation.region, snippet: { text: snippet } },
      contextRegion: { startLine: row.line, startColumn: 1, endLine: row.line, endColumn: row.sourceLine.length + 1, snippet: { text: row.sourceLine } },
    },
  };
}

/**
 * A fingerprint that does not move with the line number: the code, the file, the text of
 * the line and the message, numbered when the same finding repeats in one file.
 */
function fingerprints(rows: FindingRow[]): string[] {
  const seen = new Map<string, number>();
  return rows.map((row) => {
    const key = [row.code, row.file, row.sourceLine.trim(), row.message].join('\u0000');
    const occurrence = (seen.get(key) ?? 0) + 1;
    seen.set(key, occurrence);
    return `${createHash('sha256').update(key).digest('hex').slice(0, 32)}:${occurrence}`;
  });
}

/** One rule per code: a code's wordings are one diagnostic. */
const DIAGNOSTICS = diagnosticsByCode();
const ruleIndex = new Map(DIAGNOSTICS.map((diagnostic, index) => [diagnostic.code, index]));

function result(row: FindingRow, fingerprint: string): sarif.Result {
  return {
    ruleId: row.code,
    ruleIndex: ruleIndex.get(row.code),
    level: levels[row.severity],
    message: { text: row.message },
    locations: [withSnippet(physical(row), row)],
    relatedLocations: row.related.map((related, id) => ({ ...physical(related), id, message: { text: related.message } })),
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
    // A failing test or scenario step says which: protocol, test, scenario and step (from 0).
    ...(row.test ? { properties: { ...row.test } } : {}),
  };
}

/** Named so a change of how fingerprints are made can start a new series. */
export const FINGERPRINT_KEY = 'posologyFinding/v1';

/** The first sentence of an explanation: a rule's short description. */
function firstSentence(text: string): string {
  const end = text.search(/[.:;](\s|$)/);
  return end > 0 ? text.slice(0, end) : text.replace(/\.$/, '');
}

function help(diagnostic: Diagnostic, docs: string): sarif.MultiformatMessageString {
  const { code, severity, entries } = diagnostic;
  const explain = entries[0][1].explain;
  const templates = entries.map(([, entry]) => entry.message);
  const label = templates.length > 1 ? 'Messages' : 'Message';
  return {
    text: `${explain} ${label}: ${templates.join(' / ')} Severity: ${severity}. See ${docs}`,
    markdown: `**${code}** (${severity}): ${explain}\n\n${label}: ${templates.map((template) => `\`${template.replace(/`/g, "'")}\``).join(', ')}\n\n[docs/diagnostics.md](${docs})`,
  };
}

function rules(informationUri: string): sarif.ReportingDescriptor[] {
  return DIAGNOSTICS.map((diagnostic) => {
    const { code, name, severity } = diagnostic;
    const entry = diagnostic.entries[0][1];
    const docs = `${informationUri}/docs/diagnostics.md#${code.toLowerCase()}`;
    return {
      id: code,
      name,
      shortDescription: { text: firstSentence(entry.explain) },
      fullDescription: { text: entry.explain },
      defaultConfiguration: { level: levels[severity] },
      helpUri: docs,
      help: help(diagnostic, docs),
    };
  });
}

export interface ToolInfo {
  version: string;
  /** The project's home page (package.json `homepage`). */
  informationUri: string;
}

export function formatSarif(output: RunOutput, tool: ToolInfo): string {
  const prints = fingerprints(output.findings);
  const log: sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'posology', version: tool.version, semanticVersion: tool.version, informationUri: tool.informationUri, rules: rules(tool.informationUri) } },
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(process.cwd()).href.replace(/\/?$/, '/')}` } },
        results: output.findings.map((row, i) => result(row, prints[i])),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
