// Findings and test results located by line and column (1-based), relative
// paths: what every output format prints.
import path from 'node:path';
import type { Finding, TestSubject } from '../diagnostics/finding.js';
import type { TestResult } from '../checks/index.js';
import { LineIndex } from '../syntax/line-index.js';

export interface Location {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface FindingRow extends Location {
  severity: Finding['severity'];
  code: string;
  message: string;
  sourceLine: string;
  related: (Location & { message: string })[];
  /** The test or scenario step a failure is about (POS5001, POS5004, POS5005). */
  test?: TestSubject;
}

/** A test result placed at its `expect` clause, by line and column instead of offsets. */
export type TestRow = Location & Omit<TestResult, 'file' | 'span' | 'expectSpan'>;

export interface VerificationRow {
  file: string;
  protocol: string;
  status: string;
  statesExplored: number;
  statesTotal: number;
  counterexamples: number;
  summary: string;
  explanations: string[];
}

export interface RunOutput {
  command: string;
  findings: FindingRow[];
  tests: TestRow[];
  verifications: VerificationRow[];
  filesChecked: number;
  /** `test --allow-empty`: a run without tests passes. */
  emptyAllowed?: boolean;
}

export interface Summary {
  errors: number;
  warnings: number;
  information: number;
  /** Tests and scenario steps that passed and failed: each step counts as one. */
  passed: number;
  failed: number;
  /** What ran: one-day tests, scenarios, and their steps that expect something. */
  tests: number;
  scenarios: number;
  steps: number;
}

/** The counts every format ends with. */
export function summarize(output: RunOutput): Summary {
  const count = (severity: FindingRow['severity']) => output.findings.filter((row) => row.severity === severity).length;
  const passed = output.tests.filter((row) => row.passed).length;
  const steps = output.tests.filter((row) => row.scenario !== undefined);
  const scenarios = new Set(steps.map((row) => `${row.file}\0${row.protocol}\0${row.scenario}`)).size;
  return {
    errors: count('error'),
    warnings: count('warning'),
    information: count('information'),
    passed,
    failed: output.tests.length - passed,
    tests: output.tests.length - steps.length,
    scenarios,
    steps: steps.length,
  };
}

/** Reads texts once and converts offsets for every file it has seen. */
export class Locator {
  private readonly indexes = new Map<string, LineIndex>();

  constructor(private readonly texts: Map<string, string>) {}

  private index(file: string): LineIndex {
    let index = this.indexes.get(file);
    if (!index) {
      index = new LineIndex(this.texts.get(file) ?? '');
      this.indexes.set(file, index);
    }
    return index;
  }

  locate(file: string, span: { start: number; end: number }): Location {
    const index = this.index(file);
    const start = index.position(span.start);
    const end = index.position(span.end);
    return { file: display(file), line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
  }

  lineText(file: string, offset: number): string {
    return this.index(file).lineText(offset);
  }

  findingRow(item: Finding): FindingRow {
    return {
      ...this.locate(item.file, item.span),
      severity: item.severity,
      code: item.code,
      message: item.message,
      sourceLine: this.lineText(item.file, item.span.start),
      related: item.related.map((related) => ({ ...this.locate(related.file, related.span), message: related.message })),
      ...(item.subject ? { test: item.subject } : {}),
    };
  }

  testRow(result: TestResult): TestRow {
    const { file, span, expectSpan, ...rest } = result;
    void span;
    return { ...this.locate(file, expectSpan), ...rest };
  }
}

export function display(file: string): string {
  const relative = path.relative(process.cwd(), file);
  const shown = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
  return shown.split(path.sep).join('/');
}
