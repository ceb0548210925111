// Entry point of the language server (`posology-server`, and the bundle VS Code
// starts). Importing this module starts the server: over stdio by default, or
// over whatever transport the command line names (--stdio, --node-ipc,
// --socket=N, --pipe=NAME), which is how vscode-languageclient starts it.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server.js';

const TRANSPORTS = ['--stdio', '--node-ipc', '--socket', '--pipe'];
const named = process.argv.slice(2).some((arg) => TRANSPORTS.some((flag) => arg === flag || arg.startsWith(`${flag}=`)));
// Without a transport flag, speak over stdio (and route console output to the client, never to stdout).
if (!named) process.argv.push('--stdio');

const connection = createConnection(ProposedFeatures.all);
process.on('uncaughtException', (error) => connection.console.error(`Unexpected error: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`Unexpected rejection: ${reason instanceof Error ? reason.stack ?? reason.message : String(reason)}`));
startServer(connection);
