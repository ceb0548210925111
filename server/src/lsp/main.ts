// Entry point of the language server (`posology-server`, and the bundle VS Code
// starts). Importing this module starts the server: over stdio by default, or
// over whatever transport the command line names (--stdio, --node-ipc,
// --socket=PORT, --pipe=NAME, also with a space instead of `=`), which is how
// vscode-languageclient starts it. Every transport goes through the checks of
// protocol/transport.ts: the byte streams (stdio, socket, pipe) get framing and
// lifecycle, Node IPC (framed by Node) the lifecycle.
import net from 'node:net';
import { format } from 'node:util';
import type { Readable, Writable } from 'node:stream';
import { createConnection, IPCMessageReader, IPCMessageWriter, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { startServer } from './server.js';
import { checkedTransport, LifecycleReader } from './protocol/transport.js';

const args = process.argv.slice(2);

/** The value of `--flag=value` or `--flag value`; '' when the flag is there without one. */
function flagValue(flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith(`${flag}=`)) return args[i].slice(flag.length + 1);
    if (args[i] === flag) return args[i + 1] ?? '';
  }
  return undefined;
}

function refuse(message: string): never {
  process.stderr.write(`posology-server: ${message}\n`);
  process.exit(1);
}

let lastInput: (() => number) | undefined;

/**
 * LSP over a byte stream, through the checked transport (framing and lifecycle). A stream out
 * of step ends the process with code 1: the editor restarts it.
 */
function overStream(input: Readable, output: Writable): Connection {
  const transport = checkedTransport(input, output, (reason) => {
    refuse(`the client's messages are out of step (${reason}); exiting so that the editor restarts the server`);
  });
  const { reader, writer } = transport;
  lastInput = transport.lastInput;
  const connection = createConnection(ProposedFeatures.all, reader, writer);
  const end = () => process.exit(reader.shutDown ? 0 : 1);
  input.on('end', end);
  input.on('close', end);
  return connection;
}

function overStdio(): Connection {
  const connection = overStream(process.stdin, process.stdout);
  // Console output goes to the client, never to stdout, where it would corrupt the stream.
  console.log = console.info = console.debug = (...items: unknown[]) => connection.console.log(format(...items));
  console.warn = (...items: unknown[]) => connection.console.warn(format(...items));
  console.error = (...items: unknown[]) => connection.console.error(format(...items));
  return connection;
}

/** The client listens (on a port of 127.0.0.1, or a named pipe); the server connects to it. */
function overSocket(socket: net.Socket, name: string): Connection {
  socket.on('error', (error) => refuse(`cannot connect to ${name}: ${error.message}`));
  return overStream(socket, socket);
}

/** Over Node IPC (how VS Code starts it): messages come framed by Node; the lifecycle is still enforced. */
function overIpc(): Connection {
  const writer = new IPCMessageWriter(process);
  return createConnection(ProposedFeatures.all, new LifecycleReader(new IPCMessageReader(process), writer), writer);
}

function connect(): Connection {
  if (args.includes('--node-ipc')) return overIpc();
  const port = flagValue('--socket');
  if (port !== undefined) {
    if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) refuse(`--socket needs a port number from 1 to 65535, not ${JSON.stringify(port)}`);
    return overSocket(net.createConnection(Number(port), '127.0.0.1'), `port ${port}`);
  }
  const pipe = flagValue('--pipe');
  if (pipe !== undefined) {
    if (pipe === '') refuse('--pipe needs the name of the pipe the client listens on');
    return overSocket(net.createConnection(pipe), `the pipe ${pipe}`);
  }
  return overStdio();
}

const connection = connect();
process.on('uncaughtException', (error) => connection.console.error(`Unexpected error: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`Unexpected rejection: ${reason instanceof Error ? reason.stack ?? reason.message : String(reason)}`));
startServer(connection, { lastInput });
