// The byte-stream transports (stdio, --socket, --pipe), checked before vscode-languageserver sees them.
//
// Framing: every message must have a header of `Name: value` lines, at most
// MAX_HEADER_BYTES long, with a `Content-Length` that is a whole number of at
// most MAX_CONTENT_BYTES, and a body that ends where that length says (a body
// holding a second message's header means the length was wrong). Anything else
// means the stream is out of step for good: instead of a live process that
// never answers again, the server says why on stderr and exits with code 1, so
// the editor restarts it. A body that is not JSON but is framed right only
// fails that one message (vscode-jsonrpc drops it).
//
// Lifecycle: a request before `initialize` gets ServerNotInitialized (-32002),
// a second `initialize` and any request after `shutdown` get InvalidRequest
// (-32600); notifications then are dropped, except `exit`.
import { Transform, type Readable, type TransformCallback, type Writable } from 'node:stream';
import {
  AbstractMessageReader,
  ErrorCodes,
  StreamMessageReader,
  StreamMessageWriter,
  type DataCallback,
  type Disposable,
  type Message,
  type MessageReader,
  type MessageWriter,
} from 'vscode-languageserver/node';

export const MAX_HEADER_BYTES = 8192;
export const MAX_CONTENT_BYTES = 256 * 1024 * 1024;
const HEADER_END = Buffer.from('\r\n\r\n', 'ascii');
const CONTENT_LENGTH_TEXT = Buffer.from('Content-Length:', 'ascii');

export class FramingError extends Error {}

/** The Content-Length of a header block (without its closing blank line); throws FramingError. */
export function contentLength(header: string): number {
  let length: number | undefined;
  for (const line of header.split('\r\n')) {
    const match = /^([A-Za-z][A-Za-z0-9-]*):[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!match) throw new FramingError(`a header line is not 'Name: value': ${JSON.stringify(line.slice(0, 80))}`);
    if (match[1].toLowerCase() !== 'content-length') continue;
    if (!/^\d{1,10}$/.test(match[2])) throw new FramingError(`Content-Length is not a whole number: ${JSON.stringify(match[2].slice(0, 40))}`);
    length = Number(match[2]);
  }
  if (length === undefined) throw new FramingError('a message has no Content-Length header');
  if (length > MAX_CONTENT_BYTES) throw new FramingError(`Content-Length ${length} is over the limit of ${MAX_CONTENT_BYTES} bytes`);
  return length;
}

/** Passes well-framed messages through unchanged; calls `onFatal` once at the first framing error and stops. */
export class FrameValidator extends Transform {
  private header: Buffer = Buffer.alloc(0);
  private remaining: number | undefined;
  private body: Buffer[] = [];
  private failed = false;
  /** When the last bytes came in (performance.now()): the server lets interactive requests go first. */
  lastInput = 0;

  constructor(private readonly onFatal: (reason: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.lastInput = performance.now();
    try {
      if (!this.failed) this.consume(chunk);
    } catch (error) {
      if (!(error instanceof FramingError)) return callback(error as Error);
      this.failed = true;
      this.onFatal(error.message);
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (!this.failed && (this.remaining !== undefined || this.header.length > 0)) {
      this.failed = true;
      this.onFatal('the input ended inside a message');
    }
    callback();
  }

  private consume(chunk: Buffer): void {
    let data = chunk;
    while (data.length > 0) {
      if (this.remaining === undefined) {
        this.header = this.header.length > 0 ? Buffer.concat([this.header, data]) : data;
        const end = this.header.indexOf(HEADER_END);
        if (end < 0 || end > MAX_HEADER_BYTES) {
          if (this.header.length > MAX_HEADER_BYTES) throw new FramingError(`a message header is longer than ${MAX_HEADER_BYTES} bytes`);
          return;
        }
        const length = contentLength(this.header.subarray(0, end).toString('latin1'));
        this.push(this.header.subarray(0, end + HEADER_END.length));
        data = this.header.subarray(end + HEADER_END.length);
        this.header = Buffer.alloc(0);
        this.remaining = length;
        this.body = [];
        if (length > 0) continue;
      } else {
        const take = Math.min(this.remaining, data.length);
        this.body.push(data.subarray(0, take));
        this.remaining -= take;
        data = data.subarray(take);
        if (this.remaining > 0) return;
      }
      const body = Buffer.concat(this.body);
      this.body = [];
      this.remaining = undefined;
      checkBody(body);
      if (body.length > 0) this.push(body);
    }
  }
}

/** A Content-Length too large swallows the next message's header: such a body is not JSON and holds one. */
function checkBody(body: Buffer): void {
  if (body.indexOf(CONTENT_LENGTH_TEXT) < 0) return;
  try {
    JSON.parse(body.toString('utf8'));
  } catch {
    throw new FramingError('Content-Length does not match the message: its body holds the header of the next one');
  }
}

type Phase = 'new' | 'running' | 'shut down';

/** Answers requests that the lifecycle does not allow, before the server sees them. */
export class LifecycleReader extends AbstractMessageReader implements MessageReader {
  private phase: Phase = 'new';

  constructor(
    private readonly inner: MessageReader,
    private readonly writer: MessageWriter,
  ) {
    super();
    inner.onError((error) => this.fireError(error));
    inner.onClose(() => this.fireClose());
    inner.onPartialMessage((info) => this.firePartialMessage(info));
  }

  get shutDown(): boolean {
    return this.phase === 'shut down';
  }

  listen(callback: DataCallback): Disposable {
    return this.inner.listen((message) => {
      if (this.admit(message)) callback(message);
    });
  }

  override dispose(): void {
    super.dispose();
    this.inner.dispose();
  }

  private admit(message: Message): boolean {
    const { id, method } = message as { id?: number | string | null; method?: unknown };
    if (typeof method !== 'string') return true; // a response to a request of the server
    const isRequest = id !== undefined;
    if (method === 'exit' && !isRequest) return true;
    const refuse = (code: number, text: string): false => {
      if (isRequest) void this.writer.write({ jsonrpc: '2.0', id: id ?? null, error: { code, message: text } } as Message).catch(() => undefined);
      return false;
    };
    switch (this.phase) {
      case 'new':
        if (method === 'initialize' && isRequest) {
          this.phase = 'running';
          return true;
        }
        return refuse(ErrorCodes.ServerNotInitialized, `The server is not initialized yet: '${method}' was sent before 'initialize'`);
      case 'running':
        if (method === 'initialize') return refuse(ErrorCodes.InvalidRequest, "'initialize' may be sent only once");
        if (method === 'shutdown' && isRequest) this.phase = 'shut down';
        return true;
      case 'shut down':
        return refuse(ErrorCodes.InvalidRequest, `The server is shutting down: '${method}' was sent after 'shutdown'`);
    }
  }
}

/**
 * The reader and writer for LSP over `input` and `output` (stdin and stdout, or a socket):
 * framing checked, lifecycle enforced. `onFatal` is called once with the reason
 * when the input is out of step; the caller logs it and exits.
 */
export function checkedTransport(
  input: Readable,
  output: Writable,
  onFatal: (reason: string) => void,
): { reader: LifecycleReader; writer: MessageWriter; lastInput: () => number } {
  const validator = new FrameValidator(onFatal);
  const validated = input.pipe(validator);
  const writer = new StreamMessageWriter(output);
  return { reader: new LifecycleReader(new StreamMessageReader(validated), writer), writer, lastInput: () => validator.lastInput };
}
