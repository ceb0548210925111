// The examples are the product's demo: the clean ones must check clean with
// every test passing, and each line of the mistakes files that carries an
// `// expect: CODE severity` comment must get exactly those findings.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { analyze } from '../../server/src/checks/analysis.js';
import { LineIndex } from '../../server/src/syntax/line-index.js';
import { readRepo, repoPath } from '../helpers/repo.js';

const label = { path: 'labels/pomalidomide.dose', text: readRepo('labels', 'pomalidomide.dose') };

function exampleFiles(folder: string): string[] {
  return fs.readdirSync(repoPath(folder)).filter((name) => name.endsWith('.dose')).map((name) => `${folder}/${name}`);
}

function analyzeExample(file: string) {
  const [result] = analyze([{ path: file, text: readRepo(file) }], [label]);
  return result;
}

function expectations(text: string): string[] {
  const expected: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const match = /\/\/ expect: (POS\d{4} \w+(?:; POS\d{4} \w+)*)\s*$/.exec(line);
    if (!match) return;
    for (const item of match[1].split(';')) expected.push(`${index + 1}: ${item.trim()}`);
  });
  return expected.sort();
}

describe('examples', () => {
  it('the label checks clean', () => {
    const [result] = analyze([label]);
    assert.deepEqual(result.findings.map((item) => `${item.code} ${item.message}`), []);
  });

  for (const file of exampleFiles('examples')) {
    it(`${file} checks clean and passes every test`, () => {
      const result = analyzeExample(file);
      // By design, and nothing else: a documented deviation (PVd's 21-day cycle, its dexamethasone days) is a
      // warning that quotes its reason; a drug with no label in reach (bortezomib, daratumumab) is one information.
      const byDesign = (item: { code: string; severity: string; message: string }) =>
        (item.severity === 'warning' && /\(documented deviation: .+\)$/.test(item.message)) || (item.code === 'POS3031' && item.severity === 'information');
      const findings = result.findings.filter((item) => !byDesign(item));
      assert.deepEqual(findings.map((item) => `${item.code} ${item.message}`), []);
      assert.ok(result.tests.length >= 10, 'an example protocol carries its tests');
      const failed = result.tests.filter((test) => !test.passed).map((test) => `${test.title}: ${test.actual}`);
      assert.deepEqual(failed, []);
    });
  }

  for (const file of exampleFiles('examples/mistakes')) {
    it(`${file} reports exactly the findings its comments expect`, () => {
      const text = readRepo(file);
      const result = analyzeExample(file);
      const lines = new LineIndex(text);
      const actual = result.findings.map((item) => `${lines.position(item.span.start).line + 1}: ${item.code} ${item.severity}`).sort();
      assert.deepEqual(actual, expectations(text));
    });
  }

  it('the mistakes cover every row of the check table', () => {
    const codes = new Set(
      exampleFiles('examples/mistakes').flatMap((file) => analyzeExample(file).findings.map((item) => item.code)),
    );
    const table = ['POS2002', 'POS3001', 'POS3002', 'POS3003', 'POS3004', 'POS3005', 'POS3006', 'POS3007', 'POS3008', 'POS2003', 'POS2005', 'POS2006', 'POS5001', 'POS3009',
      // SPEC-v2 "Checks added" (course-mistakes.dose); a companion's own label file is covered in test/checks/companions.test.ts
      'POS3012', 'POS3015', 'POS3016', 'POS3017', 'POS3018', 'POS3019', 'POS3020', 'POS3021', 'POS3022', 'POS3023', 'POS3024', 'POS3025', 'POS3026', 'POS3027', 'POS3028', 'POS3029', 'POS3030', 'POS3031', 'POS3032', 'POS3034',
      // frequencies refused (frequency-mistakes.dose)
      'POS3035', 'POS3036', 'POS3037', 'POS3038', 'POS3039', 'POS3040', 'POS3041'];
    assert.deepEqual(table.filter((code) => !codes.has(code)), []);
  });
});
