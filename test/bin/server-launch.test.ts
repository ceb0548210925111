// dist/server/launch.cjs is what the VS Code client starts: it must run the
// server bundle (through the code cache, as bin/posology-server.js does) and
// answer like it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { LspClient, uriOf } from '../helpers/lsp-client.js';
import { repoPath } from '../helpers/repo.js';

describe('bin: server-launch', function () {
  this.timeout(30000);

  it('`npm run bundle` puts the launcher and the loader next to the server bundle', () => {
    for (const file of ['launch.cjs', 'load-bundle.cjs', 'main.cjs']) assert.ok(fs.existsSync(repoPath('dist', 'server', file)), file);
    assert.equal(fs.readFileSync(repoPath('dist', 'server', 'load-bundle.cjs'), 'utf8'), fs.readFileSync(repoPath('bin', 'load-bundle.cjs'), 'utf8'));
  });

  it('starts the server: it initializes and publishes diagnostics for an opened protocol', async () => {
    const client = await LspClient.start({ server: repoPath('dist', 'server', 'launch.cjs') });
    try {
      assert.equal(client.initializeResult.serverInfo?.name, 'posology');
      const uri = uriOf('examples/mistakes/pd-with-mistakes.dose');
      const text = fs.readFileSync(repoPath('examples', 'mistakes', 'pd-with-mistakes.dose'), 'utf8');
      await client.open(uri, text);
      const published = await client.diagnostics(uri, (params) => params.diagnostics.length > 0);
      assert.ok(published.diagnostics.some((diagnostic) => String(diagnostic.code).startsWith('POS')));
    } finally {
      await client.stop();
    }
  });
});
