// Chevrotain's floor for the `.dose` grammar: a recogniser built from the
// parser's own rules (its recorded grammar, `getGAstProductions`) with no
// actions: it reads the same tokens and builds nothing. `parse` can be no
// faster than this lexer plus this recogniser; the bench reports how far above
// it the full parse is.
import { Alternation, EmbeddedActionsParser, NonTerminal, Option, Repetition, Terminal, type IProduction, type IToken } from 'chevrotain';
import { sharedParser } from '../server/src/syntax/parser.js';
import { splitBlocks, type SyntaxError } from '../server/src/syntax/parse.js';
import { tokenize } from '../server/src/syntax/lexer.js';
import { allTokens } from '../server/src/syntax/tokens.js';

type Step = () => void;

interface Dsl {
  consume(idx: number, type: unknown): unknown;
  subrule(idx: number, rule: unknown): unknown;
  option(idx: number, body: Step): unknown;
  many(idx: number, body: Step): void;
  or(idx: number, alts: { ALT: Step }[]): unknown;
}

class Recogniser extends EmbeddedActionsParser {
  readonly rules: Record<string, () => void> = {};

  constructor() {
    super(allTokens, { skipValidations: true, recoveryEnabled: true, maxLookahead: 1 });
    const dsl = this as unknown as Dsl;
    const rules = this.rules;
    const compile = (productions: IProduction[]): Step => {
      const steps = productions.map((production): Step => {
        if (production instanceof Terminal) return () => dsl.consume(production.idx, production.terminalType);
        if (production instanceof NonTerminal) return () => dsl.subrule(production.idx, rules[production.nonTerminalName]);
        if (production instanceof Option) {
          const body = compile(production.definition);
          return () => dsl.option(production.idx, body);
        }
        if (production instanceof Repetition) {
          const body = compile(production.definition);
          return () => dsl.many(production.idx, body);
        }
        if (production instanceof Alternation) {
          const alts = production.definition.map((alternative) => ({ ALT: compile((alternative as Alternation).definition) }));
          return () => dsl.or(production.idx, alts);
        }
        throw new Error(`the recogniser does not know ${production.constructor.name}`);
      });
      return () => {
        for (const step of steps) step();
      };
    };
    for (const [name, rule] of Object.entries(sharedParser().getGAstProductions())) {
      rules[name] = this.RULE(name, compile(rule.definition));
    }
    this.performSelfAnalysis();
  }
}

const recogniser = new Recogniser();

/** Lexes `text` as `parse` does and recognises each block; returns the count of errors, so nothing is optimised away. */
export function recognise(text: string): number {
  const { tokens } = tokenize(text);
  const errors: SyntaxError[] = [];
  let count = 0;
  for (const block of splitBlocks(tokens, errors)) {
    recogniser.input = block as IToken[];
    recogniser.rules.block.call(recogniser);
    count += recogniser.errors.length;
  }
  return count + errors.length;
}
