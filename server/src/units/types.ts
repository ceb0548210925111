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

export type UnitResult =
  | { readonly ok: true; readonly unit: Unit }
  | { readonly ok: false; readonly message: string; readonly suggestions: readonly string[] };
