// `--format sarif`: SARIF 2.1.0 for code-scanning dashboards. Rules come from
// the one message table, so every code a result uses is described.
import type * as sarif from 'sarif';
import { Messages, type Severity } from '../diagnostics/messages.js';
import type { FindingRow, Location, RunOutput } from './rows.js';

const levels: Record<Severity, sarif.Result.level> = { error: 'error', warning: 'warning', information: 'note' };

function region(location: Location): sarif.Region {
  return { startLine: location.line, startColumn: location.column, endLine: location.endLine, endColumn: location.endColumn };
}

function physical(location: Location): sarif.Location {
  return { physicalLocation: { artifactLocation: { uri: encodeURI(location.file), uriBaseId: '%SRCROOT%' }, region: region(location) } };
}

function result(row: FindingRow): sarif.Result {
  return {
    ruleId: row.code,
    level: levels[row.severity],
    message: { text: row.message },
    locations: [physical(row)],
    relatedLocations: row.related.map((related, id) => ({ ...physical(related), id, message: { text: related.message } })),
    // A failing test or scenario step says which: protocol, test, scenario and step (from 0).
    ...(row.test ? { properties: { ...row.test } } : {}),
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
        originalUriBaseIds: { '%SRCROOT%': { uri: `file://${encodeURI(process.cwd())}/` } },
        results: output.findings.map(result),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
