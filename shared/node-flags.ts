// The V8 settings the language server runs with: the VS Code client passes them
// when it starts the server, and the benchmark and the tests that spawn the
// binaries use them too; a test keeps those places in step. The `bin/` scripts
// keep a plain `#!/usr/bin/env node` line (`env -S` is missing from BusyBox,
// so Alpine images could not run them); other editors can pass the flags.
//
// A young generation of 32 MB semispaces from the start, growing to 64 MB,
// instead of V8's 1 to 16 MB, shrunk after every full collection: parsing and
// checking a large file builds a tree that survives, and in a small young
// generation the collector copied it several times per parse. Measured on a
// 10,000-line file: parse 17 ms median (p90 34 ms) with the defaults, 10.3 ms
// (p90 11 ms) with these; parse and check about 50 ms against 26-38 ms
// (docs/performance.md). They cost about 4 ms at process start, and resident
// memory grows only as the young generation is used.
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64', '--min-semi-space-size=32'];
