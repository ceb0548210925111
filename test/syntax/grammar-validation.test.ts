// The shared parser and lexer skip chevrotain's grammar checks to start fast;
// here they run in full, so an ambiguous or left-recursive grammar fails a test.
import assert from 'node:assert/strict';
import { DoseParser } from '../../server/src/syntax/parser.js';
import { createLexer } from '../../server/src/syntax/parse.js';

describe('syntax: grammar validation', () => {
  it('the parser passes chevrotain validations', () => {
    assert.doesNotThrow(() => new DoseParser({ validate: true }));
  });

  it('the lexer passes chevrotain validations', () => {
    const lexer = createLexer({ validate: true });
    assert.deepEqual(lexer.lexerDefinitionErrors, []);
  });
});
