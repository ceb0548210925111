// Text from a file, shown in Markdown (hover), shown as it is written: every
// ASCII punctuation character that Markdown or HTML could read is escaped with
// a backslash (CommonMark renders `\X` as X), and line breaks become spaces, so
// a title such as `[click](command:...)`, `![x](https://tracker/)`, `<img ...>`
// or `# heading` is displayed, never rendered, followed or fetched.
const MARKDOWN_PUNCTUATION = /[\\`*_[\]<>&!#|~]/g;
/** What starts a block (list item, quote, heading underline, ordered list) at the start of a line. */
const BLOCK_START = /^(\s*)([-+=]|\d+[.)])/;

export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(MARKDOWN_PUNCTUATION, '\\$&')
    .replace(BLOCK_START, (_all, space: string, marker: string) => `${space}${marker.replace(/[-+=.)]$/, '\\$&')}`);
}

/** The longest run of backticks in `text`. */
function longestBackticks(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}

/**
 * Text in a code span, shown literally, backticks included: the span is fenced
 * with one backtick more than the longest run inside it, and padded with a space
 * on each side (which CommonMark strips) when the text has a backtick or starts
 * and ends with a space. Line breaks become spaces.
 */
export function codeSpan(text: string): string {
  const flat = text.replace(/[\r\n\u2028\u2029]+/g, ' ');
  const longest = longestBackticks(flat);
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 || (flat.startsWith(' ') && flat.endsWith(' ') && flat.trim() !== '') ? ' ' : '';
  return fence + pad + flat + pad + fence;
}

/** Text in a fenced code block (`language` for highlighting), shown literally: the fence is longer than any run of backticks in it. */
export function codeBlock(text: string, language = ''): string {
  const fence = '`'.repeat(Math.max(3, longestBackticks(text) + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}
