import type { FileAnalysis, LabelSet, ParsedFile } from '../../checks/analysis.js';

/** A document as the features see it: text, syntax tree, labels and check results. */
export interface AnalysedDocument {
  uri: string;
  path: string;
  /** The editor's version; undefined for a file read from disk. */
  version: number | undefined;
  text: string;
  parsed: ParsedFile;
  labels: LabelSet;
  analysis: FileAnalysis;
}
