// Runs the extension tests in a real VS Code (`npm run test:vscode`). VS Code is
// downloaded by @vscode/test-electron, or taken from VSCODE_EXECUTABLE when set
// (a path to a VS Code binary, for machines without internet access).
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  // Bundled to dist/test/runTest.cjs, two levels below the repo root.
  const root = path.resolve(__dirname, '..', '..');
  try {
    await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'dist', 'test', 'suite', 'index.cjs'),
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
      launchArgs: [path.join(root, 'client', 'testFixture'), '--disable-extensions', '--skip-welcome', '--skip-release-notes'],
    });
  } catch (error) {
    console.error('Extension tests failed:', error);
    process.exit(1);
  }
}

void main();
