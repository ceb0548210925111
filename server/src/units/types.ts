// What `parseUnit` hands back. Units are plain frozen data: the rest of Posology
// compares and prints them but never sees the UCUM library behind them.

export interface Unit {
  /** As the author wrote it, e.g. "x10^9/L", "mcg", "μL". */
  readonly written: string;
  /** The UCUM code after aliasing, e.g. "10*9/L", "ug". */
  readonly ucum: string;
  /** UCUM's human name, e.g. "billion per liter". */
  readonly name: string;
  /** A stable key of the dimension; equal for units that convert into each other. */
  readonly dimension: string;
}

/**
 * Why a written unit is not one (the diagnostics table words it, POS2005). The
 * texts are as a message may quote them: control characters replaced, long
 * text cut.
 */
export type UnitProblem =
  | { readonly kind: 'missing' }
  | { readonly kind: 'unknown'; readonly written: string }
  | { readonly kind: 'part'; readonly written: string; readonly part: string }
  | { readonly kind: 'space'; readonly written: string }
  | { readonly kind: 'character'; readonly written: string; readonly character: string }
  | { readonly kind: 'tooLong'; readonly written: string; readonly limit: number };

export type UnitResult =
  | { readonly ok: true; readonly unit: Unit }
  | { readonly ok: false; readonly problem: UnitProblem; readonly suggestions: readonly string[] };
