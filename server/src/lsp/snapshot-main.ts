// The entry of the language server's V8 startup snapshot (bin/snapshot.cjs
// builds it with `node --build-snapshot`): the server's modules loaded,
// chevrotain's lexer and parser built, UCUM's tables loaded and a small file
// checked once, so that a server started from the snapshot has nothing of that
// left to do. Its main function is the server's entry (main.ts), which
// reads the transport from the command line as it always does.
import { PassThrough } from 'node:stream';
import v8 from 'node:v8';
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { analyze } from '../checks/analysis.js';
import { prepareSyntax } from '../syntax/parse.js';
import './server.js';

prepareSyntax();
analyze(
  [{ path: 'warm-up.dose', text: 'protocol "warm-up" {\n  drug warmup\n  start dose 10 mg once daily\n  rule r: when anc < 500 /uL then hold\n}\n' }],
  [{ path: 'labels/warmup.dose', text: 'label warmup {\n  fact anc: quantity /uL\n}\n' }],
);
// The connection's many feature classes are compiled now too: a connection over
// streams that go nowhere, let go at once.
createConnection(ProposedFeatures.all, new StreamMessageReader(new PassThrough()), new StreamMessageWriter(new PassThrough())).dispose();

v8.startupSnapshot.setDeserializeMainFunction(() => {
  // bin/snapshot.cjs starts a new blob once with this set before publishing it.
  if (process.env.POSOLOGY_SNAPSHOT_CHECK === '1') {
    process.stdout.write('ok');
    return;
  }
  void import('./main.js');
});
