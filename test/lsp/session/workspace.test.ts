// The server's document store: what it caches and what it re-checks.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nodeFileAccess, Workspace, type FileAccess } from '../../../server/src/lsp/session/workspace.js';
import { labelText } from '../../helpers/lsp-fixtures.js';

const ROOT = path.resolve('/virtual/project');
const LABEL = path.join(ROOT, 'labels', 'pomalidomide.dose');
const PROTOCOL = path.join(ROOT, 'protocols', 'pd.dose');
const OTHER = path.join(ROOT, 'protocols', 'other.dose');

/** An in-memory disk holding the label, counting reads. */
function memoryDisk(files: Map<string, string>) {
  const reads: string[] = [];
  const access: FileAccess = {
    read(file) {
      reads.push(file);
      const text = files.get(file);
      return text === undefined ? { ok: false, refusal: { kind: 'missing' } } : { ok: true, text };
    },
    stamp: (file) => (files.has(file) ? `${files.get(file)!.length}` : undefined),
    labelFolder: () => path.join(ROOT, 'labels'),
    list: (dir) => [...files.keys()].filter((file) => path.dirname(file) === dir).sort(),
    inside: (file) => file.startsWith(ROOT),
  };
  return { access, reads };
}

const protocolText = (start: number) => `protocol "pd" {\n  drug pomalidomide\n  indication multiple_myeloma\n  start ${start} mg oral once daily days 1-21 cycle 28 days\n}\n`;

describe('lsp: workspace', () => {
  it('finds the labels folder of a protocol and checks against it', () => {
    const { access } = memoryDisk(new Map([[LABEL, labelText]]));
    const workspace = new Workspace(access);
    workspace.setRoots([ROOT]);
    workspace.setOpen('file:///pd', PROTOCOL, 1, protocolText(5));
    const doc = workspace.analyse(PROTOCOL)!;
    assert.ok(doc.analysis.findings.some((finding) => finding.code === 'POS3001'));
    assert.equal(doc.version, 1);
  });

  it('caches the parse per version and reuses the resolved labels while a protocol is edited', () => {
    const { access, reads } = memoryDisk(new Map([[LABEL, labelText]]));
    const workspace = new Workspace(access);
    workspace.setRoots([ROOT]);
    workspace.setOpen('file:///pd', PROTOCOL, 1, protocolText(5));
    const first = workspace.analyse(PROTOCOL)!;
    assert.equal(workspace.analyse(PROTOCOL)!.analysis, first.analysis, 'nothing changed: the same check');
    workspace.setOpen('file:///pd', PROTOCOL, 2, protocolText(4));
    const second = workspace.analyse(PROTOCOL)!;
    assert.notEqual(second.parsed, first.parsed);
    assert.equal(second.labels, first.labels, 'the labels are not resolved again');
    assert.ok(!second.analysis.findings.some((finding) => finding.code === 'POS3001'));
    assert.equal(reads.filter((file) => file === LABEL).length, 1, 'the label file is read once');
  });

  it('re-resolves the labels when an open label changes, and every protocol that sees it is re-checked against them', () => {
    const { access } = memoryDisk(new Map([[LABEL, labelText]]));
    const workspace = new Workspace(access);
    workspace.setRoots([ROOT]);
    workspace.setOpen('file:///pd', PROTOCOL, 1, protocolText(4));
    workspace.setOpen('file:///other', OTHER, 1, protocolText(4));
    const before = workspace.analyse(PROTOCOL)!;
    assert.equal(workspace.analyse(OTHER)!.labels, before.labels, 'protocols share one resolved label set');
    workspace.setOpen('file:///label', LABEL, 1, labelText.replace('dose 4 mg oral', 'dose 3 mg oral'));
    assert.ok(workspace.providesLabels(LABEL));
    assert.deepEqual(workspace.openFilesSharingLabels(LABEL).sort(), [LABEL, OTHER, PROTOCOL].sort());
    const after = workspace.analyse(PROTOCOL)!;
    assert.notEqual(after.labels, before.labels);
    assert.ok(after.analysis.findings.some((finding) => finding.code === 'POS3001' && /label dose of 3 mg/.test(finding.message)));
    workspace.close(LABEL);
    assert.ok(!workspace.analyse(PROTOCOL)!.analysis.findings.some((finding) => finding.code === 'POS3001'), 'closing the label goes back to the disk version');
  });

  it('sees labels in open documents that share the labels folder', () => {
    const { access } = memoryDisk(new Map());
    const workspace = new Workspace(access);
    workspace.setRoots([ROOT]);
    workspace.setOpen('file:///scratch', path.join(ROOT, 'scratch', 'label.dose'), 1, labelText);
    workspace.setOpen('file:///pd', PROTOCOL, 1, protocolText(5));
    assert.ok(workspace.analyse(PROTOCOL)!.analysis.findings.some((finding) => finding.code === 'POS3001'));
  });

  it('reads a closed file from disk and forgets it when told it changed', () => {
    const files = new Map([[LABEL, labelText], [PROTOCOL, protocolText(5)]]);
    const { access } = memoryDisk(files);
    let now = 0;
    const workspace = new Workspace(access, () => now);
    workspace.setRoots([ROOT]);
    assert.equal(workspace.analyse(PROTOCOL)!.version, undefined);
    files.set(PROTOCOL, protocolText(4));
    workspace.invalidateDisk([PROTOCOL]);
    now += 10;
    assert.ok(!workspace.analyse(PROTOCOL)!.analysis.findings.some((finding) => finding.code === 'POS3001'));
  });
});

describe('lsp: workspace on disk: labels from the document\'s own folder upwards', () => {
  function project(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posology-ws-'));
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), content);
    }
    return dir;
  }

  it('uses the nearest labels folder above the document, not the one at the workspace root', () => {
    const lowerDose = labelText.replace('dose 4 mg oral once daily days 1-21 cycle 28 days', 'dose 3 mg oral once daily days 1-21 cycle 28 days');
    const dir = project({ 'labels/l.dose': labelText, 'ward/labels/l.dose': lowerDose });
    const workspace = new Workspace(nodeFileAccess);
    workspace.setRoots([dir]);
    const file = path.join(dir, 'ward', 'p.dose');
    workspace.setOpen('file:///p', file, 1, protocolText(4));
    const findings = workspace.analyse(file)!.analysis.findings;
    assert.ok(findings.some((finding) => finding.code === 'POS3001' && /label dose of 3 mg/.test(finding.message)), JSON.stringify(findings.map((item) => item.message)));
  });

  it('POS2001 says that no labels folder is above the document', () => {
    const dir = project({ 'p.dose': '' });
    const workspace = new Workspace(nodeFileAccess);
    workspace.setRoots([dir]);
    const file = path.join(dir, 'p.dose');
    workspace.setOpen('file:///p', file, 1, protocolText(4));
    const unknown = workspace.analyse(file)!.analysis.findings.find((finding) => finding.code === 'POS2001');
    assert.match(unknown?.message ?? '', /no labels folder is above this file in the workspace/);
  });
});
