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

/** Text in a code span: shown literally; a backtick (which would end the span) becomes a quote, line breaks spaces. */
export function codeSpan(text: string): string {
  return '`' + text.replace(/`/g, "'").replace(/[\r\n\u2028\u2029]+/g, ' ') + '`';
}
