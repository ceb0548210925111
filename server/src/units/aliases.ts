// Friendly spellings rewritten to UCUM before validation. This table is the whole
// alias mechanism; docs/units.md lists it row by row. Aliases only respell a unit:
// every conversion factor still comes from UCUM.

export interface Alias {
  /** Spellings an author may write, shown in docs and offered as suggestions. */
  readonly spellings: readonly string[];
  /** What the spellings become in the UCUM code. */
  readonly ucum: string;
  readonly pattern: RegExp;
}

/** Matches `words` only as a whole symbol: not inside a longer name, [bracket] or {annotation}. */
function symbol(words: string): RegExp {
  return new RegExp(`(?<![A-Za-z_\\[{])(?:${words})(?![A-Za-z_\\]}])`, 'g');
}

export const ALIASES: readonly Alias[] = [
  { spellings: ['µ', 'μ'], ucum: 'u', pattern: /[\u00B5\u03BC]/g },
  { spellings: ['mcg'], ucum: 'ug', pattern: symbol('mcg') },
  { spellings: ['mcL'], ucum: 'uL', pattern: symbol('mcL') },
  { spellings: ['x10^9/L', 'x10*9/L', '10^9/L'], ucum: '10*', pattern: /(?<![A-Za-z0-9\]}])[x\u00D7]?10[*^](?=[-+]?\d)/g },
  { spellings: ['cells/uL', 'cells/mm3'], ucum: '', pattern: /^cells(?=\/)/ },
  { spellings: ['mL/min/1.73m2'], ucum: '/{1.73_m2}', pattern: /\/1\.73 ?m2$/ },
  { spellings: ['years', 'year', 'yrs', 'yr'], ucum: 'a', pattern: symbol('years|year|yrs|yr') },
  { spellings: ['months', 'month'], ucum: 'mo', pattern: symbol('months|month') },
  { spellings: ['weeks', 'week'], ucum: 'wk', pattern: symbol('weeks|week') },
  { spellings: ['days', 'day'], ucum: 'd', pattern: symbol('days|day') },
  { spellings: ['hours', 'hour', 'hrs', 'hr'], ucum: 'h', pattern: symbol('hours|hour|hrs|hr') },
  { spellings: ['minutes', 'minute', 'mins'], ucum: 'min', pattern: symbol('minutes|minute|mins') },
];

/** Rewrites every alias in `written`, row by row, in table order. */
export function applyAliases(written: string): string {
  return ALIASES.reduce((text, alias) => text.replace(alias.pattern, alias.ucum), written);
}
