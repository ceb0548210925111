// Inputs for fuzzing: random bytes and text, half-typed files, token-level
// mutations of the examples, and the pathological shapes the spec names.
import fc from 'fast-check';
import { readRepo } from '../helpers/repo.js';

export const EXAMPLE_FILES = [
  'labels/pomalidomide.dose',
  'examples/pd-multiple-myeloma.dose',
  'examples/ks-kaposi-sarcoma.dose',
  'examples/mistakes/pd-with-mistakes.dose',
  'examples/mistakes/deviation.dose',
  'examples/mistakes/deviation-without-reason.dose',
  'examples/mistakes/unknown-indication.dose',
];

export const examples = (): string[] => EXAMPLE_FILES.map((file) => readRepo(...file.split('/')));

export const pieces = ['rule', 'when', 'then', 'hold', 'dose', '4 mg', '/uL', '10*9/L', '(', ')', '{', '}', '"', ',', ':', '<', '<=', '=', 'in', 'not', 'and', 'or',
  'previous - 1 mg', 'after dialysis', 'test', 'given', 'expect', 'ANC', 'dialysis', 'child_pugh', 'C', '500', '0.4', '\n', ' ', '//', '/*', '*/',
  'label', 'fact', 'quantity', 'boolean', 'one of', 'normal', 'indication', 'at most', 'discontinue when', 'hold when', 'source', 'alias', 'note', 'mg', 'a', 'day', 'deviation'];

/** A token-level mutation of a real file: delete, duplicate, swap or replace a token. */
export function mutated(): fc.Arbitrary<string> {
  return mutate(examples());
}

/**
 * A protocol in the same file as a mutated or half-typed copy of its label: the
 * checks, the tests and the verifier against a label with any kind of trouble.
 */
export function labelTrouble(): fc.Arbitrary<string> {
  const label = readRepo('labels', 'pomalidomide.dose');
  const protocols = examples().filter((text) => /^protocol /m.test(text) && !/^label /m.test(text));
  const brokenLabel = fc.oneof(
    mutate([label]),
    fc.nat(label.length).map((cut) => label.slice(0, cut)),
  );
  return fc.tuple(brokenLabel, fc.constantFrom(...protocols)).map(([broken, protocol]) => `${broken}\n${protocol}`);
}

function mutate(files: string[]): fc.Arbitrary<string> {
  return fc
    .record({
      file: fc.constantFrom(...files),
      edits: fc.array(fc.record({ at: fc.nat(), kind: fc.constantFrom('delete', 'duplicate', 'swap', 'replace'), piece: fc.constantFrom(...pieces) }), { minLength: 1, maxLength: 6 }),
    })
    .map(({ file, edits }) => {
      const tokens = file.split(/(\s+|[(){},:])/);
      for (const edit of edits) {
        const i = edit.at % tokens.length;
        if (edit.kind === 'delete') tokens.splice(i, 1);
        else if (edit.kind === 'duplicate') tokens.splice(i, 0, tokens[i]);
        else if (edit.kind === 'swap' && i + 2 < tokens.length) [tokens[i], tokens[i + 2]] = [tokens[i + 2], tokens[i]];
        else tokens[i] = edit.piece;
      }
      return tokens.join('');
    });
}

/** A prefix or suffix of a real file: what an editor holds while someone types. */
export function halfTyped(): fc.Arbitrary<string> {
  return fc.record({ file: fc.constantFrom(...examples()), cut: fc.nat(), prefix: fc.boolean() }).map(({ file, cut, prefix }) => {
    const at = cut % (file.length + 1);
    return prefix ? file.slice(0, at) : file.slice(at);
  });
}

type Size = fc.SizeForArbitrary | undefined;

/** Any UTF-16 code units, lone surrogates included. */
export const binaryText = (size?: Size) => fc.string({ unit: 'binary', maxLength: 400, size });
/** Any Unicode text, grapheme by grapheme. */
export const unicodeText = (size?: Size) => fc.string({ unit: 'grapheme', maxLength: 400, size });
/** Random bytes read as Latin-1 (what a binary file looks like to an editor). */
export const randomBytes = (size?: Size) => fc.uint8Array({ maxLength: 400, size }).map((bytes) => Buffer.from(bytes).toString('latin1'));
/** The language's own words and symbols in random order. */
export const tokenSoup = (size?: Size) => fc.array(fc.constantFrom(...pieces), { maxLength: 120, size }).map((parts) => parts.join(' '));

export function randomText(): fc.Arbitrary<string> {
  return fc.oneof(binaryText(), unicodeText(), randomBytes(), tokenSoup());
}

/** A real file with a random stretch replaced by random text: an edit in progress anywhere. */
export function spliced(): fc.Arbitrary<string> {
  return fc
    .record({ file: fc.constantFrom(...examples()), at: fc.nat(), cut: fc.nat(40), insert: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...pieces)) })
    .map(({ file, at, cut, insert }) => {
      const start = at % (file.length + 1);
      return file.slice(0, start) + insert + file.slice(start + cut);
    });
}

/** The shapes the spec names explicitly. */
export function pathological(): { name: string; text: string }[] {
  const pd = readRepo('examples', 'pd-multiple-myeloma.dose');
  return [
    { name: '100,000 nested parentheses', text: `protocol "p" { drug pomalidomide indication multiple_myeloma rule r: when ${'('.repeat(100000)}ANC < 500 /uL${')'.repeat(100000)} then hold }` },
    { name: '100,000 unclosed parentheses', text: `protocol { rule r: when ${'('.repeat(100000)}` },
    { name: '100,000 nots', text: `protocol { rule r: when ${'not '.repeat(100000)}dialysis then hold }` },
    { name: 'a 1 MB single line', text: `protocol "p" { ${'rule r: when dialysis then hold '.repeat(34000)} }` },
    { name: 'NUL bytes', text: pd.replace(/ /g, '\u0000') },
    { name: 'lone surrogates', text: pd.replace(/e/g, '\ud800').replace(/a/g, '\udc00') },
    { name: 'CRLF line endings', text: pd.replace(/\n/g, '\r\n') },
    { name: 'CR line endings', text: pd.replace(/\n/g, '\r') },
    { name: 'a byte-order mark', text: `\ufeff${pd}` },
    { name: 'an empty file', text: '' },
    { name: 'only a comment opener', text: '/*' },
    { name: '10,000 empty protocols', text: 'protocol {}\n'.repeat(10000) },
  ];
}
