// The V8 settings Posology's processes run with: the VS Code client passes them
// when it starts the server, the `bin/` scripts carry them in their `#!` line,
// and the benchmark runs under them. A test keeps those places in step.
//
// A young generation of 32 MB semispaces from the start, instead of V8's up to
// 16 MB, grown on demand and shrunk after every full collection: parsing and
// checking a large file builds a tree that survives, and in a small young
// generation the collector copied it several times per parse. Measured on a
// 10,000-line file: parse 17 ms median (p90 34 ms) with the defaults, 10.4 ms
// (p90 11.2 ms) with these (docs/performance.md). The resident memory of a
// process does not change: pages are taken as they are used.
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64', '--min-semi-space-size=64'];
