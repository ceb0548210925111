// The entry VS Code's extension host calls: runs every bundled *.test.cjs in
// dist/test with mocha (tdd interface), inside the running VS Code.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: true, timeout: 60000 });
  // Bundled to dist/test/suite/index.cjs; the test files sit one level up.
  const testsRoot = path.resolve(__dirname, '..');
  for (const file of fs.readdirSync(testsRoot)) {
    if (file.endsWith('.test.cjs')) mocha.addFile(path.join(testsRoot, file));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension test(s) failed`)) : resolve()));
  });
}
