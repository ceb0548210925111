import assert from 'node:assert/strict';
import { verifyProtocol } from '../../server/src/verify/index.js';
import { pdText, protocolOf } from './helpers.js';

/** A protocol with no stop rules (nothing to prune) and many age thresholds: millions of states. */
function hugeText(): string {
  const rules = [
    ...Array.from({ length: 40 }, (_, i) => `rule age${i}: when age > ${20 + i} a then dose 4 mg`),
    ...Array.from({ length: 6 }, (_, i) => `rule plt${i}: when platelets < ${30000 + i * 1000} /uL then dose 3 mg`),
  ];
  return ['protocol "huge" {', '  drug pomalidomide', '  indication multiple_myeloma', '  start 4 mg oral once daily days 1-21 cycle 28 days', ...rules.map((rule) => `  ${rule}`), '}', ''].join('\n');
}

describe('verify: budgets, cancellation, withholding', () => {
  it('a state budget stops the walk and says so, never "verified"', () => {
    const protocol = protocolOf(pdText());
    const result = verifyProtocol(protocol, { maxStates: 10 });
    assert.equal(result.status, 'stopped');
    assert.equal(result.statesEvaluated, 10);
    assert.ok(result.statesExplored < result.statesTotal);
    assert.match(result.reason ?? '', /^stopped after \d+ of \d+ patient states: state budget of 10 evaluated states reached$/);
    const incomplete = result.findings.filter((item) => item.code === 'POS4002');
    assert.equal(incomplete.length, 1);
    assert.equal(incomplete[0].severity, 'warning');
    assert.match(incomplete[0].message, new RegExp(`^Verification stopped after ${result.statesExplored} of ${result.statesTotal} patient states \\(state budget`));
    assert.equal(incomplete[0].span.start, protocol.node.span.start);
  });

  it('a budget large enough for every state verifies', () => {
    const protocol = protocolOf(pdText());
    const full = verifyProtocol(protocol);
    assert.equal(verifyProtocol(protocol, { maxStates: full.statesEvaluated }).status, 'verified');
    assert.equal(verifyProtocol(protocol, { maxStates: full.statesEvaluated - 1 }).status, 'stopped');
  });

  it('counterexamples found before a stop are still reported', () => {
    const text = pdText({ rules: { dialysis: 'when dialysis then dose 4 mg after dialysis' } });
    const result = verifyProtocol(protocolOf(text), { maxStates: 100000, timeBudgetMs: 60000 });
    assert.equal(result.status, 'counterexamples');
    const stopped = verifyProtocol(protocolOf(text), { maxStates: result.statesEvaluated - 1 });
    assert.equal(stopped.status, 'stopped');
    assert.ok(stopped.findings.some((item) => item.code === 'POS4002'));
    assert.deepEqual(stopped.counterexamples.map((item) => item.constraintText), ['at most 3 mg when dialysis']);
    assert.ok(stopped.findings.some((item) => item.code === 'POS4001'));
  });

  it('cancellation before the first state stops at once', () => {
    const result = verifyProtocol(protocolOf(pdText()), { isCancelled: () => true });
    assert.equal(result.status, 'stopped');
    assert.equal(result.statesEvaluated, 0);
    assert.match(result.reason ?? '', /cancelled$/);
  });

  it('cancellation during a long walk stops within 50 ms', () => {
    const protocol = protocolOf(hugeText());
    const started = performance.now();
    const result = verifyProtocol(protocol, { isCancelled: () => performance.now() - started > 20, maxStates: 1e9, timeBudgetMs: 60000 });
    const elapsed = performance.now() - started;
    assert.equal(result.status, 'stopped');
    assert.match(result.reason ?? '', /cancelled$/);
    assert.ok(result.statesTotal > 1e6, String(result.statesTotal));
    assert.ok(elapsed < 20 + 50, `took ${elapsed} ms`);
  });

  it('the time budget stops a long walk', () => {
    const protocol = protocolOf(hugeText());
    const started = performance.now();
    const result = verifyProtocol(protocol, { timeBudgetMs: 20, maxStates: 1e9 });
    const elapsed = performance.now() - started;
    assert.equal(result.status, 'stopped');
    assert.match(result.reason ?? '', /time budget of 20 ms used up$/);
    assert.ok(elapsed < 20 + 50, `took ${elapsed} ms`);
    assert.ok(result.statesExplored < result.statesTotal);
  });

  it('a label with errors withholds verification', () => {
    const protocol = protocolOf(pdText());
    const broken = { ...protocol, label: { ...protocol.label, errorCount: 2 } };
    const result = verifyProtocol(broken);
    assert.equal(result.status, 'withheld');
    assert.equal(result.statesExplored, 0);
    assert.match(result.reason ?? '', /pomalidomide label has 2 error/);
    assert.deepEqual(result.findings, []);
  });
});
