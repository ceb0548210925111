// The layers that decide and explore say why as data, never in English: the
// evaluator's reasons (eval/why.ts), the label machine's (`Because`: a quote of
// the label or a phrase), the verifier's stop reasons (StopReason) and
// why a file was not read (project/refusal.ts, the {0} of POS1006 and POS1007)
// are worded only by the message table's phrases. The type assertions fail the
// build (and so `npm test`) if any of them becomes a string again; the runs check
// that what comes back at run time is data the table words.
import assert from 'node:assert/strict';
import { runCourse, type Because, type LabelVerdict, type CompanionOutcome, type DayOutcome, type Outcome, type StepState } from '../../server/src/eval/index.js';
import { whyPhrase, type Why } from '../../server/src/eval/why.js';
import { Phrases } from '../../server/src/diagnostics/messages.js';
import type { Budget } from '../../server/src/verify/budget.js';
import { stopPhrase } from '../../server/src/verify/findings.js';
import { verifyProtocol } from '../../server/src/verify/index.js';
import type { CourseSearch, StopReason } from '../../server/src/verify/types.js';
import { pdText, protocolOf } from '../verify/helpers.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FileRead } from '../../server/src/project/read.js';
import { listDoseFiles, readSource, refusalOf, type ReadResult, type Refused, type UnreadableFolder } from '../../server/src/project/files.js';
import type { Crawl } from '../../server/src/project/crawl.js';
import { refusalFinding, refusalPhrase, type IoFailure, type Refusal } from '../../server/src/project/refusal.js';
import type { FileAccess } from '../../server/src/lsp/session/workspace.js';

/** `false` when no string is assignable to T; `true` when T is (or admits) a string. */
type AdmitsString<T> = string extends T ? true : false;

const dataOnly: false[] = [
  false satisfies AdmitsString<DayOutcome['reason']>,
  false satisfies AdmitsString<Outcome['reason']>,
  false satisfies AdmitsString<CompanionOutcome['reason']>,
  false satisfies AdmitsString<NonNullable<StepState['reason']>>,
  false satisfies AdmitsString<NonNullable<StepState['delayed']>>,
  false satisfies AdmitsString<Why>,
  false satisfies AdmitsString<Because>,
  false satisfies AdmitsString<NonNullable<LabelVerdict['requires']>['because']>,
  false satisfies AdmitsString<NonNullable<LabelVerdict['atMost']>['because']>,
  false satisfies AdmitsString<NonNullable<CourseSearch['stopped']>>,
  false satisfies AdmitsString<NonNullable<ReturnType<Budget['interrupted']>>>,
  false satisfies AdmitsString<StopReason>,
  false satisfies AdmitsString<Refusal>,
  false satisfies AdmitsString<IoFailure>,
  false satisfies AdmitsString<Extract<FileRead, { ok: false }>['refusal']>,
  false satisfies AdmitsString<Extract<ReadResult, { ok: false }>['refusal']>,
  false satisfies AdmitsString<Refused['refusal']>,
  false satisfies AdmitsString<UnreadableFolder['why']>,
  false satisfies AdmitsString<Crawl['unreadable'][number]['why']>,
  false satisfies AdmitsString<NonNullable<ReturnType<typeof refusalOf>>>,
  false satisfies AdmitsString<NonNullable<ReturnType<NonNullable<FileAccess['refusal']>>>>,
];

/** No field of a refusal (or of what it holds) is named like free text. */
function assertNoDetail(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  for (const [key, inner] of Object.entries(value)) {
    assert.ok(!['detail', 'message', 'text'].includes(key), `a refusal carries ${key}`);
    assertNoDetail(inner);
  }
}

const phrases = new Set(Object.values(Phrases) as string[]);

describe('wording: eval/ and verify/ say why as data, the table words it', () => {
  it('the reasons are typed as data (checked when the tests compile)', () => {
    assert.equal(dataOnly.length, 21);
  });

  it("every day of a course says why as data, and the table's phrase says it", () => {
    const protocol = protocolOf(pdText());
    const days = runCourse(protocol, [{ day: 3, observations: new Map([['ANC', 400]]) }], 30);
    const kinds = new Set<string>();
    for (const day of days) {
      assert.equal(typeof day.reason, 'object');
      kinds.add(day.reason.kind);
      const said = whyPhrase(day.reason);
      assert.ok(said.name in Phrases, said.name);
      for (const companion of day.companions) assert.equal(typeof companion.reason, 'object');
    }
    assert.ok(kinds.size >= 2, [...kinds].join(', '));
  });

  it('a stopped verification reports its reason as data, worded by the table (POS4002)', () => {
    const result = verifyProtocol(protocolOf(pdText()), { maxStates: 10 });
    assert.equal(result.status, 'stopped');
    const incomplete = result.findings.find((item) => item.code === 'POS4002');
    assert.ok(incomplete);
    const why = stopPhrase({ kind: 'states', limit: 10, of: 'evaluated' });
    assert.equal(why.name, 'StopEvaluatedStates');
    assert.ok(phrases.has(Phrases[why.name]));
    assert.match(incomplete.message, /\(state budget of 10 evaluated states reached\)/);
    assert.match(result.reason ?? '', /^stopped after \d+ of \d+ patient states: state budget of 10 evaluated states reached$/);
  });

  it('a file or folder that is not read says why as data, and the table words it (POS1005, POS1006, POS1007)', function () {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'posology-wording-')));
    const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'posology-wording-out-')));
    try {
      fs.writeFileSync(path.join(outside, 'far.dose'), '');
      fs.symlinkSync(path.join(outside, 'far.dose'), path.join(dir, 'link.dose'));
      fs.symlinkSync(path.join(dir, 'nowhere.dose'), path.join(dir, 'ghost.dose'));
      fs.writeFileSync(path.join(dir, 'big.dose'), 'x'.repeat(64));
      fs.mkdirSync(path.join(dir, 'sub'));
      const cases: [Refusal | undefined, string, RegExp][] = [
        [refusalOf(path.join(dir, 'link.dose'), [dir], 1024), 'POS1006', /^This file leads outside the workspace \(it links to .*far\.dose\); Posology does not read it$/],
        [refusalOf(path.join(dir, 'ghost.dose'), [dir], 1024), 'POS1007', /^Posology cannot read this file \(it links to .*nowhere\.dose, which does not exist\)$/],
        [refusalOf(path.join(dir, 'big.dose'), [dir], 16), 'POS1005', /^This file is 0\.0 MB; Posology checks files up to 0 MB$/],
        [(readSource(path.join(dir, 'sub'), [dir], 1024) as { refusal?: Refusal }).refusal, 'POS1007', /^Posology cannot read this file \(it is a folder, not a regular file\)$/],
        [{ kind: 'unlistable folder', why: { kind: 'permission denied' } }, 'POS1007', /^Posology cannot read this file \(it is a folder that cannot be listed: permission denied\)$/],
        [{ kind: 'system error', code: 'EIO' }, 'POS1007', /^Posology cannot read this file \(the system reports EIO\)$/],
      ];
      for (const [refusal, code, message] of cases) {
        assert.ok(refusal && typeof refusal === 'object');
        assertNoDetail(refusal);
        assert.ok(refusalPhrase(refusal).name in Phrases);
        const said = refusalFinding('x.dose', refusal);
        assert.equal(said.code, code);
        assert.match(said.message, message);
      }
      // A listing says the folders it could not list as data too.
      const unreadable: UnreadableFolder[] = [];
      listDoseFiles(path.join(dir, 'gone'), [dir], [], unreadable);
      for (const item of unreadable) assertNoDetail(item);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
