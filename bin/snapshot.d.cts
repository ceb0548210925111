// Types of bin/snapshot.cjs for the TypeScript that starts the server (the VS Code client, the tests).
export declare const CHECK: string;
export declare function blobPath(dir: string, flags: readonly string[]): string | undefined;
export declare function snapshotArgs(dir: string, flags: readonly string[]): string[];
export declare function buildInBackground(dir: string, flags: readonly string[]): boolean;
export declare function buildLater(dir: string): void;
export declare function buildNow(dir: string, flags: readonly string[]): boolean;
