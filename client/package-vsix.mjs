// `npm run package`: builds posology-<version>.vsix.
// The repository's package.json lists `files` for the npm package (the CLI and
// server as plain JS), and vsce refuses a package.json with `files` next to a
// .vscodeignore. So the extension is staged in dist/vsix/: the production
// bundles, the grammar, the README and a manifest without `files`, scripts or
// dependencies (everything is bundled), filtered by .vscodeignore; then vsce
// packages that folder. Labels and examples are not in the extension: they
// belong to each user's workspace.
// vsce 3+ needs Node 20+, vsce 4 needs Node 22; set VSCE to a vsce binary to
// use one you have, otherwise `npx @vscode/vsce` is used.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(import.meta.url), '..', '..');
const stage = path.join(root, 'dist', 'vsix');

execFileSync(process.execPath, [path.join(root, 'client', 'bundle.mjs'), '--production'], { stdio: 'inherit' });

fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(stage, { recursive: true });
const copy = (relative) => {
  const from = path.join(root, relative);
  if (!fs.existsSync(from)) return;
  fs.cpSync(from, path.join(stage, relative), { recursive: true });
};
for (const item of ['dist/client/extension.cjs', 'dist/server/main.cjs', 'dist/server/verify-worker.cjs', 'dist/server/launch.cjs', 'dist/server/load-bundle.cjs', 'dist/server/snapshot.cjs', 'dist/server/snapshot-main.cjs', 'grammar', 'README.md', 'LICENSE', 'LICENSE.md', 'CHANGELOG.md', 'docs/editor.md', '.vscodeignore']) copy(item);

const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
for (const field of ['files', 'scripts', 'dependencies', 'devDependencies', 'bin']) delete manifest[field];
fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

const output = path.join(root, `${manifest.name}-${manifest.version}.vsix`);
const args = ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', output];
// Relative links in the README (docs/...) point into the repository.
const repository = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
if (repository) {
  const base = `${repository.replace(/^git\+/, '').replace(/\.git$/, '')}/raw/HEAD`;
  args.push('--baseContentUrl', base, '--baseImagesUrl', base);
}
if (process.env.VSCE) execFileSync(process.env.VSCE, args, { cwd: stage, stdio: 'inherit' });
else execFileSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['--yes', '@vscode/vsce', ...args], { cwd: stage, stdio: 'inherit' });
console.log(`packaged ${path.relative(root, output)}`);
