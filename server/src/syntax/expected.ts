// What the grammar accepts next: the keywords that may follow the tokens of an
// item being written, asked of the parser itself (chevrotain's
// `computeContentAssist`), so completion never keeps a list of its own.
import { createTokenInstance, type IToken } from 'chevrotain';
import { sharedParser } from './parser.js';
import { isKeyword, keywordTexts, SyntaxKind as K } from './syntax-kind.js';
import { membersOf, kindOf, tokenOf } from './tokens.js';

/** Where an item is written: at the top of a file, or in the braces of a block. */
export type ItemPlace = 'top' | 'label' | 'indication' | 'protocol' | 'test' | 'scenario';

/**
 * The rule that reads one item of each place, and the tokens that lead to it
 * (the items of a test are read by the test's rule, after `test "" {`); the
 * keyword whose braces hold the place's items (`within`: only inside that
 * place, as an indication's braces are only in a label).
 */
const PLACES: Record<ItemPlace, { rule: string; before: K[]; opener?: K; within?: ItemPlace }> = {
  top: { rule: 'block', before: [] },
  label: { rule: 'labelItem', before: [], opener: K.LabelKeyword },
  indication: { rule: 'indicationItem', before: [], opener: K.IndicationKeyword, within: 'label' },
  protocol: { rule: 'protocolItem', before: [], opener: K.ProtocolKeyword },
  test: { rule: 'testCase', before: [K.TestKeyword, K.StringLiteral, K.LBrace], opener: K.TestKeyword },
  scenario: { rule: 'scenarioStep', before: [], opener: K.ScenarioKeyword },
};

/** The place whose items the braces after `keyword` hold, inside `outer`; undefined when the keyword opens none there. */
export function placeOpenedBy(keyword: string, outer: ItemPlace): ItemPlace | undefined {
  for (const [place, { opener, within }] of Object.entries(PLACES) as [ItemPlace, (typeof PLACES)[ItemPlace]][]) {
    if (opener !== undefined && keywordTexts[opener] === keyword && (within === undefined || within === outer)) return place;
  }
  return undefined;
}

/** A token as the features see it: its kind's name ('RuleKeyword', 'Name') and its text. */
export interface WrittenToken {
  type: string;
  image: string;
}

/**
 * Longer items get no answer: chevrotain's content assist walks every path
 * through the tokens, and its memory grows faster than the item (a condition
 * of thousands of operands exhausted the heap). Real items are a line long.
 */
export const MAX_ITEM_TOKENS = 200;

function instance(kind: K, image: string): IToken {
  return createTokenInstance(tokenOf(kind), image, 0, 0, 0, 0, 0, 0);
}

/**
 * The keywords the grammar accepts right after `item` (the tokens written so
 * far of one item at `place`, comments left out), in the order of the keyword
 * table. With no tokens, the keywords that start an item there. Nothing when
 * what is written is not a start of an item the grammar knows, or is longer
 * than MAX_ITEM_TOKENS.
 */
export function keywordsAfter(place: ItemPlace, item: readonly WrittenToken[]): string[] {
  if (item.length > MAX_ITEM_TOKENS) return [];
  const { rule, before } = PLACES[place];
  const tokens: IToken[] = before.map((kind) => instance(kind, ''));
  for (const token of item) {
    const kind = K[token.type as keyof typeof K];
    if (kind === undefined || tokenOf(kind) === undefined) return [];
    tokens.push(instance(kind, token.image));
  }
  const kinds = new Set<K>();
  for (const path of sharedParser().computeContentAssist(rule, tokens)) {
    const members = membersOf(path.nextTokenType) ?? [kindOf(path.nextTokenType)];
    for (const kind of members) if (isKeyword(kind)) kinds.add(kind);
  }
  // The grammar reads an `until` after `discontinue` only to report it (POS1008).
  if (item.some((token) => token.type === K[K.DiscontinueKeyword])) kinds.delete(K.UntilKeyword);
  return [...kinds].sort((a, b) => a - b).map((kind) => keywordTexts[kind]);
}
