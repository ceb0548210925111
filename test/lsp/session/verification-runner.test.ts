// The verification runner: the same question asked twice shares one job (an
// explicit "verify" must not be cancelled by the background run of the same
// text), while a newer text supersedes the older job.
import assert from 'node:assert/strict';
import { VerificationRunner, type VerificationRequest } from '../../../server/src/lsp/session/verification.js';
import { readRepo } from '../../helpers/repo.js';

const labels = [{ path: 'labels/pomalidomide.dose', text: readRepo('labels', 'pomalidomide.dose') }];
const protocol = readRepo('examples', 'mistakes', 'pd-with-mistakes.dose');

function request(text: string): VerificationRequest {
  return { file: '/ws/p.dose', text, labels, timeBudgetMs: 5000, maxStates: 1_000_000 };
}

describe('lsp: verification runner', () => {
  let runner: VerificationRunner;
  beforeEach(() => {
    runner = new VerificationRunner(() => undefined);
  });
  afterEach(() => runner.dispose());

  it('answers both askers of the same question from one job', async () => {
    const [first, second] = await Promise.all([runner.run(request(protocol)), runner.run(request(protocol))]);
    assert.ok(first && second, 'neither asker was cancelled');
    assert.equal(first, second);
    assert.ok(first.findings.some((finding) => finding.code === 'POS4001'));
  });

  it('lets a newer text supersede the older job', async () => {
    const older = runner.run(request(protocol));
    const newer = runner.run(request(`${protocol}\n// edited\n`));
    assert.equal(await older, undefined);
    assert.ok(await newer);
  });
});
