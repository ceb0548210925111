// The slice of @lhncbc/ucum-lhc (CommonJS, untyped) that `ucum.ts` uses.
// Fields ending in `_` are the library's unit objects; they are read, never written.
declare module '@lhncbc/ucum-lhc' {
  export interface UcumDimension {
    dimVec_: number[] | null;
  }

  export interface UcumUnit {
    csCode_: string;
    /** Usually a string; a number for numeric units such as "500". */
    name_: unknown;
    printSymbol_: unknown;
    dim_: UcumDimension | null;
    isSpecial_: boolean;
    isArbitrary_: boolean;
    moleExp_: number;
    equivalentExp_: number;
  }

  /** [code, name, guidance] */
  export type UcumSuggestedUnit = [string, string, string | null];

  export interface UcumSuggestion {
    msg: string;
    invalidUnit: string;
    units: UcumSuggestedUnit[];
  }

  export interface UcumSpecifiedUnit {
    status: 'valid' | 'invalid' | 'error';
    unit?: UcumUnit | null;
    origString?: string | null;
    retMsg: string[];
    suggestions?: UcumSuggestion[];
  }

  export interface UcumConversion {
    status: 'succeeded' | 'failed' | 'error';
    toVal: number | null;
    msg: string[];
  }

  export interface UcumLhcUtils {
    getSpecifiedUnit(uName: string, valConv: 'validate' | 'convert', suggest?: boolean): UcumSpecifiedUnit;
    convertUnitTo(fromUnitCode: string, fromVal: number, toUnitCode: string): UcumConversion;
  }

  const ucum: {
    UcumLhcUtils: { getInstance(): UcumLhcUtils };
  };
  export default ucum;
}
