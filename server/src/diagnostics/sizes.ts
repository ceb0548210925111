// How a file's size and the size limit are said in findings (POS1005) and in the
// CLI's "cannot read" line: "6.3 MB" for a file, "5 MB" for the limit.
const MEBIBYTE = 1048576;

/** A file's size, one decimal: "6.3 MB". */
export function megabytes(bytes: number): string {
  return `${(bytes / MEBIBYTE).toFixed(1)} MB`;
}

/** A limit, without a trailing ".0": "5 MB". */
export function limitMegabytes(bytes: number): string {
  return `${Number((bytes / MEBIBYTE).toFixed(1))} MB`;
}
