// Entry point of the language server (`posology-server`, and the bundle VS Code
// starts). Importing this module starts the server: over stdio by default, or
// over whatever transport the command line names (--stdio, --node-ipc,
// --socket=N, --pipe=NAME), which is how vscode-languageclient starts it.
import { format } from 'node:util';
import { createConnection, IPCMessageReader, IPCMessageWriter, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { startServer } from './server.js';
import { checkedTransport, LifecycleReader } from './protocol/transport.js';

const OTHER_TRANSPORTS = ['--socket', '--pipe'];
const ipc = process.argv.slice(2).includes('--node-ipc');
const other = process.argv.slice(2).some((arg) => OTHER_TRANSPORTS.some((flag) => arg === flag || arg.startsWith(`${flag}=`)));

let lastInput: (() => number) | undefined;

function overStdio(): Connection {
  // Without another transport flag, speak over stdio, through the checked transport (framing and
  // lifecycle, transport.ts). A stream out of step ends the process with code 1: the editor restarts it.
  const transport = checkedTransport(process.stdin, process.stdout, (reason) => {
    process.stderr.write(`posology-server: the client's messages are out of step (${reason}); exiting so that the editor restarts the server\n`);
    process.exit(1);
  });
  const { reader, writer } = transport;
  lastInput = transport.lastInput;
  const connection = createConnection(ProposedFeatures.all, reader, writer);
  const end = () => process.exit(reader.shutDown ? 0 : 1);
  process.stdin.on('end', end);
  process.stdin.on('close', end);
  // Console output goes to the client, never to stdout, where it would corrupt the stream.
  console.log = console.info = console.debug = (...args: unknown[]) => connection.console.log(format(...args));
  console.warn = (...args: unknown[]) => connection.console.warn(format(...args));
  console.error = (...args: unknown[]) => connection.console.error(format(...args));
  return connection;
}

/** Over Node IPC (how VS Code starts it): messages come framed by Node; the lifecycle is still enforced. */
function overIpc(): Connection {
  const writer = new IPCMessageWriter(process);
  return createConnection(ProposedFeatures.all, new LifecycleReader(new IPCMessageReader(process), writer), writer);
}

const connection = ipc ? overIpc() : other ? createConnection(ProposedFeatures.all) : overStdio();
process.on('uncaughtException', (error) => connection.console.error(`Unexpected error: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`Unexpected rejection: ${reason instanceof Error ? reason.stack ?? reason.message : String(reason)}`));
startServer(connection, { lastInput });
