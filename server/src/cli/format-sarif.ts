// `--format sarif`: SARIF 2.1.0 for code-scanning dashboards. Rules come from
// the one message table, so every code a result uses is described.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as sarif from 'sarif';
import { Messages, type Severity } from '../diagnostics/messages.js';
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

function result(row: FindingRow): sarif.Result {
  return {
    ruleId: row.code,
    level: levels[row.severity],
    message: { text: row.message },
    locations: [physical(row)],
    relatedLocations: row.related.map((related, id) => ({ ...physical(related), id, message: { text: related.message } })),
  };
}

function rules(): sarif.ReportingDescriptor[] {
  return Object.entries(Messages).map(([name, entry]) => ({
    id: entry.code,
    name,
    shortDescription: { text: entry.explain },
    defaultConfiguration: { level: levels[entry.severity] },
    helpUri: `https://example.invalid/posology/docs/diagnostics.md#${entry.code.toLowerCase()}`,
  }));
}

export function formatSarif(output: RunOutput, version: string): string {
  const log: sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'posology', version, informationUri: 'https://example.invalid/posology', rules: rules() } },
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(process.cwd()).href.replace(/\/?$/, '/')}` } },
        results: output.findings.map(result),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
