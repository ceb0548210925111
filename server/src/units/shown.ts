// Text a unit problem quotes, made safe to show.

const SHOWN_LENGTH = 40;

/** The text as it can be shown: control characters and broken surrogates become U+FFFD, long text is cut. */
export function shown(text: string): string {
  const points = Array.from(text.replace(/[\p{Cc}\p{Cs}]/gu, '\uFFFD'));
  return points.length > SHOWN_LENGTH ? `${points.slice(0, SHOWN_LENGTH).join('')}…` : points.join('');
}
