// Why a file or folder was not read, as data. The code that reads and lists
// (read.ts, files.ts, crawl.ts) returns a `Refusal` and never words it; the
// CLI and the server turn it into a finding (POS1005, POS1006, POS1007) with
// `refusalFinding`, or say it on a line of their own with `refusalText`, in the
// message table's phrases, like eval/why.ts for the evaluator's reasons.
import { finding, phrase, phraseText, type Finding } from '../diagnostics/finding.js';
import type { Phrase } from '../diagnostics/messages.js';
import type { Span } from '../syntax/ast.js';

/** What is at a path that is not a regular file. */
export type FileKind = 'folder' | 'fifo' | 'socket' | 'character device' | 'block device' | 'other';

/** Why the system would not resolve, open, read or list a path (from its error code). */
export type IoFailure =
  | { readonly kind: 'permission denied' }
  | { readonly kind: 'symlink loop' }
  | { readonly kind: 'missing' }
  /** ENXIO: a socket or a device with nobody at the other end. */
  | { readonly kind: 'no reader' }
  | { readonly kind: 'is folder' }
  /** Any other error, by its system code (EIO, EMFILE...). */
  | { readonly kind: 'system error'; readonly code: string };

export type Refusal =
  | IoFailure
  /** Its path, as written, is outside the allowed folders (`..`). */
  | { readonly kind: 'outside' }
  /** A symlink to `target` (absent: it cannot be read), outside the allowed folders. */
  | { readonly kind: 'links outside'; readonly target?: string }
  /** Swapped for another file (`byLink`: a symlink) between the check and the open. */
  | { readonly kind: 'replaced'; readonly byLink: boolean }
  | { readonly kind: 'dangling link'; readonly target?: string }
  | { readonly kind: 'not regular'; readonly file: FileKind }
  /** Over the size limit: `bytes` as `stat` says, or absent when it grew past `limit` while read. */
  | { readonly kind: 'too large'; readonly bytes?: number; readonly limit: number }
  /** A folder that could not be listed. */
  | { readonly kind: 'unlistable folder'; readonly why: IoFailure };

/** The three ways a refusal is reported: outside the roots (POS1006), too large (POS1005), unreadable (POS1007). */
export type RefusalReason = 'outside' | 'too large' | 'unreadable';

export function refusalReason(refusal: Refusal): RefusalReason {
  switch (refusal.kind) {
    case 'outside':
    case 'links outside':
    case 'replaced':
      return 'outside';
    case 'too large':
      return 'too large';
    default:
      return 'unreadable';
  }
}

/** The failure an error of the file system stands for. */
export function ioFailure(error: unknown): IoFailure {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'EACCES' || code === 'EPERM') return { kind: 'permission denied' };
  if (code === 'ELOOP') return { kind: 'symlink loop' };
  if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
  if (code === 'ENXIO') return { kind: 'no reader' };
  if (code === 'EISDIR') return { kind: 'is folder' };
  return { kind: 'system error', code: code ?? 'unknown' };
}

const KIND_PHRASES = {
  folder: 'FileIsFolder',
  fifo: 'FileIsFifo',
  socket: 'FileIsSocket',
  'character device': 'FileIsCharacterDevice',
  'block device': 'FileIsBlockDevice',
  other: 'FileIsOther',
} as const satisfies Record<FileKind, Phrase['name']>;

export function megabytes(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

/** The table's phrase that says why (the `{0}` of POS1006 and POS1007, the CLI's "cannot read" line). */
export function refusalPhrase(refusal: Refusal): Phrase {
  switch (refusal.kind) {
    case 'permission denied':
      return phrase('RefusedPermission');
    case 'symlink loop':
      return phrase('RefusedLoop');
    case 'missing':
      return phrase('RefusedMissing');
    case 'no reader':
      return phrase('RefusedNoReader');
    case 'is folder':
      return phrase('RefusedIsFolder');
    case 'system error':
      return phrase('RefusedSystemError', refusal.code);
    case 'outside':
      return phrase('RefusedOutside');
    case 'links outside':
      return refusal.target === undefined ? phrase('RefusedLinkOutside') : phrase('RefusedLinksOutside', refusal.target);
    case 'replaced':
      return phrase(refusal.byLink ? 'RefusedReplacedByLink' : 'RefusedReplaced');
    case 'dangling link':
      return refusal.target === undefined ? phrase('RefusedLinkUnread') : phrase('RefusedDanglingLink', refusal.target);
    case 'not regular':
      return phrase('RefusedNotRegular', phrase(KIND_PHRASES[refusal.file]));
    case 'too large':
      return phrase('RefusedTooLarge', sizeOf(refusal), limitOf(refusal));
    case 'unlistable folder':
      return phrase('RefusedUnlistableFolder', refusalPhrase(refusal.why));
  }
}

/** How large a file over the limit is: as `stat` says, or "more than" the limit it grew past. */
function sizeOf(refusal: Extract<Refusal, { kind: 'too large' }>): string {
  return refusal.bytes === undefined ? phraseText(phrase('SizeMoreThan', megabytes(refusal.limit))) : megabytes(refusal.bytes);
}

function limitOf(refusal: Extract<Refusal, { kind: 'too large' }>): string {
  return `${Number((refusal.limit / 1048576).toFixed(1))} MB`;
}

/** Why, in words: for the CLI's "cannot read" line and the server's log. */
export function refusalText(refusal: Refusal): string {
  return phraseText(refusalPhrase(refusal));
}

/** The finding on a file (or folder) that was not read, at its start unless `span` is given. */
export function refusalFinding(file: string, refusal: Refusal, span: Span = { start: 0, end: 0 }): Finding {
  if (refusal.kind === 'too large') return finding(file, span, 'FileTooLarge', [sizeOf(refusal), limitOf(refusal)]);
  return finding(file, span, refusalReason(refusal) === 'outside' ? 'OutsideWorkspace' : 'UnreadableFile', [refusalText(refusal)]);
}
