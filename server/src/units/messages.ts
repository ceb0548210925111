// What a pharmacist reads when a unit is not understood.

const SHOWN_LENGTH = 40;

/** The text as it can be shown: control characters and broken surrogates become U+FFFD, long text is cut. */
export function shown(text: string): string {
  const points = Array.from(text.replace(/[\p{Cc}\p{Cs}]/gu, '\uFFFD'));
  return points.length > SHOWN_LENGTH ? `${points.slice(0, SHOWN_LENGTH).join('')}…` : points.join('');
}

export function missingUnitMessage(): string {
  return 'No unit is written here (for example mg, /uL or 10*9/L)';
}

/** "'foo' is not a unit UCUM knows", with why when that helps. */
export function unknownUnitMessage(written: string, why?: string): string {
  const reason = why ? ` (${why})` : '';
  return `'${shown(written)}' is not a unit UCUM knows${reason}`;
}

export const reasons = {
  tooLong: (limit: number) => `it is longer than ${limit} characters`,
  space: () => 'units are written without spaces',
  character: (character: string) => `'${shown(character)}' cannot appear in a UCUM unit`,
  part: (part: string) => `'${shown(part)}' is not recognized`,
};
