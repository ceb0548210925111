import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyProtocol } from '../../server/src/verify/index.js';
import { analyzeText, root } from './helpers.js';

const examples = readdirSync(join(root, 'examples')).filter((name) => name.endsWith('.dose'));

describe('verify: the example protocols', () => {
  it('finds the examples', () => {
    assert.ok(examples.length >= 2, examples.join(', '));
  });

  for (const name of examples) {
    it(`${name} verifies: every state explored, no counterexample`, () => {
      const text = readFileSync(join(root, 'examples', name), 'utf8');
      const analysis = analyzeText(text, `examples/${name}`);
      assert.ok(analysis.protocols.length > 0);
      for (const protocol of analysis.protocols) {
        const result = verifyProtocol(protocol, { text });
        assert.equal(result.status, 'verified', result.findings.map((item) => item.message).join('\n'));
        assert.equal(result.statesExplored, result.statesTotal);
        assert.ok(result.statesTotal > 1000);
        assert.ok(result.statesEvaluated <= result.statesExplored);
        assert.deepEqual(result.counterexamples, []);
        assert.deepEqual(result.findings, []);
        assert.equal(result.reason, undefined);
      }
    });
  }

  it('the multiple myeloma example: the facts explored and left at their defaults', () => {
    const text = readFileSync(join(root, 'examples', 'pd-multiple-myeloma.dose'), 'utf8');
    const result = verifyProtocol(analyzeText(text).protocols[0]);
    assert.deepEqual(result.exploredFacts, [
      'sjs_ten', 'pregnant',
      'ANC', 'febrile_neutropenia', 'platelets', 'hepatotoxicity', 'breastfeeding',
      'toxicity', 'strong_cyp1a2_inhibitor', 'renal_impairment', 'dialysis', 'child_pugh', 'age',
      'day',
    ]);
    assert.deepEqual(result.defaultedFacts, []);
    // 8 booleans, then ANC, platelets, toxicity (the protocol's own fact), child_pugh, age, day.
    assert.equal(result.statesTotal, 12288);
  });
});
