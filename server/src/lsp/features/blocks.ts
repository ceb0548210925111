// Which block a `{` opens, and which words start an item in each block: the
// layout knowledge shared by completion (what may come next) and formatting
// (how far to indent), read from tokens so it works on half-typed files.
import { keywordsAfter, placeOpenedBy, type ItemPlace } from '../../syntax/expected.js';
import { isKeyword, type Token } from './tokens.js';

export type BlockKind = ItemPlace;

/** Keywords that begin an item (a line of its own) in each kind of block: the grammar's answer. */
export const ITEM_STARTS: Record<BlockKind, readonly string[]> = {
  top: keywordsAfter('top', []),
  label: keywordsAfter('label', []),
  indication: keywordsAfter('indication', []),
  protocol: keywordsAfter('protocol', []),
  test: keywordsAfter('test', []),
  scenario: keywordsAfter('scenario', []),
};

/** The kind of block the `{` at `brace` opens, inside a block of kind `outer`. */
export function braceKind(tokens: readonly Token[], brace: number, outer: BlockKind): BlockKind {
  for (let i = brace - 1; i >= 0; i--) {
    const token = tokens[i];
    if (token.type === 'LBrace' || token.type === 'RBrace') break;
    if (token.kind !== 'keyword') continue;
    const place = placeOpenedBy(token.image, outer);
    if (place) return place;
  }
  return outer;
}

/** True when the keyword at `i` starts an item of `block` (not `hold` after `then`, say). */
export function startsItem(tokens: readonly Token[], i: number, block: BlockKind): boolean {
  const token = tokens[i];
  if (token.kind !== 'keyword' || !ITEM_STARTS[block].includes(token.image)) return false;
  const before = tokens[i - 1];
  return !(isKeyword(before, 'then') || isKeyword(before, 'expect') || isKeyword(before, 'no') || before?.type === 'LParen');
}
