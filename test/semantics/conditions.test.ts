// server/src/semantics/conditions.ts: the facts a resolved condition reads.
import assert from 'node:assert/strict';
import { factsOf, mentions, mentionsAny } from '../../server/src/semantics/conditions.js';
import type { Condition } from '../../server/src/semantics/model.js';

const span = { start: 0, end: 0 };
const bool = (fact: string): Condition => ({ kind: 'bool', fact, span });
const and = (...operands: Condition[]): Condition => ({ kind: 'and', operands, span });
const or = (...operands: Condition[]): Condition => ({ kind: 'or', operands, span });
const not = (operand: Condition): Condition => ({ kind: 'not', operand, span });

describe('conditions: the facts a condition reads', () => {
  // (a and not (b or c)) or d; the broken part reads nothing.
  const nested = or(and(bool('a'), not(or(bool('b'), bool('c')))), bool('d'), { kind: 'invalid', span });

  it('factsOf lists every fact once, in order of first mention', () => {
    assert.deepEqual(factsOf(and(nested, bool('a'))), ['a', 'b', 'c', 'd']);
  });

  it('mentions finds a fact at any depth, under `not` too, and no other', () => {
    for (const fact of ['a', 'b', 'c', 'd']) assert.equal(mentions(nested, fact), true, fact);
    assert.equal(mentions(nested, 'e'), false);
    assert.equal(mentions({ kind: 'invalid', span }, 'a'), false);
    assert.equal(mentions(and(), 'a'), false);
  });

  it('mentionsAny: whether one of the facts is read', () => {
    assert.equal(mentionsAny(nested, ['x', 'c']), true);
    assert.equal(mentionsAny(nested, ['x', 'y']), false);
    assert.equal(mentionsAny(nested, []), false);
  });
});
