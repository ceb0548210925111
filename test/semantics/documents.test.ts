// A label's `document "file" "title"` lines (syntax/parser.ts, resolve/label.ts):
// messages cite a source by the document's title and section, not its file name.
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/checks/analysis.js';
import { describeSource } from '../../server/src/semantics/resolve/label.js';
import { parse } from '../../server/src/syntax/parse.js';
import type { LabelBlock } from '../../server/src/syntax/ast.js';
import { check, mm } from '../helpers/dose.js';
import { syntaxMessage } from '../../server/src/diagnostics/problems.js';

const LABEL = `label demo "Demo" {
  document "000_abc.txt" "Demo label summary"
  fact x "X": boolean
  indication i "I" {
    dose 1 mg oral once daily days 1-21 cycle 28 days
      source "000_abc.txt: Recommended Dosage"
    hold when x
      source "000_abc.txt: Toxicity, Hold"
  }
}
`;

describe('label documents', () => {
  it('parses `document "file" "title"` in a label, without errors', () => {
    const result = parse(LABEL);
    assert.deepEqual(result.errors, []);
    const label = result.file.blocks[0] as LabelBlock;
    assert.deepEqual(label.documents.map((item) => [item.file?.value, item.title?.value]), [['000_abc.txt', 'Demo label summary']]);
  });

  it('reports a document line without its title as a syntax error', () => {
    const result = parse('label demo "Demo" {\n  document "000_abc.txt"\n  fact x "X": boolean\n}\n');
    assert.equal(result.errors.length, 1);
    assert.match(syntaxMessage(result.errors[0]), /Expected text in quotes, found 'fact'/);
  });

  it('cites the title and the section; the file stays readable for the reviewer in hover', () => {
    const documents = new Map([['000_abc.txt', 'Demo label summary']]);
    assert.equal(describeSource({ documents }, '000_abc.txt: Toxicity, Hold'), 'Demo label summary, section "Toxicity, Hold"');
    assert.equal(describeSource({ documents }, '000_abc.txt: Toxicity, Hold', true), 'Demo label summary (000_abc.txt), section "Toxicity, Hold"');
    assert.equal(describeSource({ documents }, '001_other.txt: Dosage'), '001_other.txt: Dosage', 'a file not named stays as written');
  });

  it('a protocol finding quotes the label line with the document title', () => {
    const protocol = 'protocol "p" {\n  drug demo\n  indication i\n  start 1 mg oral once daily days 1-21 cycle 28 days\n}\n';
    const [, result] = analyze([{ path: 'l.dose', text: LABEL }, { path: 'p.dose', text: protocol }]);
    const uncovered = result.findings.find((item) => item.code === 'POS3006');
    assert.ok(uncovered, JSON.stringify(result.findings));
    assert.equal(uncovered.related[0].message, 'Label (demo): hold when x [source: Demo label summary, section "Toxicity, Hold"]');
  });

  it('a file named twice is a duplicate', () => {
    const twice = LABEL.replace('  fact x', '  document "000_abc.txt" "Another title"\n  fact x');
    const [result] = analyze([{ path: 'l.dose', text: twice }]);
    assert.deepEqual(result.findings.map((item) => item.code), ['POS2009']);
  });

  it('the pomalidomide label names its seed documents, so messages never cite a bare file name', () => {
    const findings = check(mm('', { omit: ['skin'] }));
    const messages = findings.flatMap((item) => [item.message, ...item.related.map((related) => related.message)]);
    assert.ok(messages.length > 0);
    for (const message of messages) assert.doesNotMatch(message, /\d{3}_[0-9a-f]{16}\.txt/, message);
  });

  it('says time in words in messages: the dexamethasone requirement reads "75 years"', () => {
    const findings = check(mm('', { omit: ['with dexamethasone'] }));
    const related = findings.flatMap((item) => item.related.map((line) => line.message));
    assert.ok(related.some((message) => message.includes('requires dexamethasone 40 mg oral days 1, 8, 15, 22 when age <= 75 years')), related.join('\n'));
    assert.ok(!related.some((message) => / 75 a\b/.test(message)));
  });
});
