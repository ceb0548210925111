// The shared parser and lexer skip chevrotain's checks of their definitions to
// start fast; here they run in full, so an ambiguous or left-recursive grammar,
// or a lexer that lost its first-character optimisation, fails a test.
import assert from 'node:assert/strict';
import { DoseParser } from '../../server/src/syntax/parser.js';
import { createLexer } from '../../server/src/syntax/tokens.js';

describe('syntax: grammar validation', () => {
  it('the parser passes chevrotain validations (performSelfAnalysis without skipping)', () => {
    // performSelfAnalysis throws on any definition error when validations run.
    assert.doesNotThrow(() => new DoseParser({ validate: true }));
  });

  it('the lexer passes chevrotain validations and keeps its optimisations', () => {
    const lexer = createLexer({ validate: true });
    assert.deepEqual(lexer.lexerDefinitionErrors, []);
  });
});
