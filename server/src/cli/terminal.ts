// What reaches the terminal from files (names, source lines, titles) is shown,
// never obeyed: control characters (ESC sequences that move the cursor, rewrite
// the title or hide text, C1 controls such as CSI) and the Unicode bidirectional
// overrides that reorder what is displayed ("Trojan Source") are written as
// visible escapes (`\x1b`, `\u202e`). Tabs and line breaks stay.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function escapeTerminal(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(UNSAFE, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
