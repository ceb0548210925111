// Units in Posology: parsing UCUM codes and their aliases, converting, printing.
// This folder is the only code that touches the UCUM library (see ucum.ts).
export type { Unit, UnitProblem, UnitResult } from './types.js';
export { parseUnit, MAX_UNIT_LENGTH } from './parse.js';
export { scaleRespelling } from './suggestions.js';
export { convert, sameDimension } from './convert.js';
export { formatQuantity, timeInWords } from './format.js';
export { roundSignificant, SIGNIFICANT_DIGITS } from './rounding.js';
export { ALIASES, type Alias } from './aliases.js';
