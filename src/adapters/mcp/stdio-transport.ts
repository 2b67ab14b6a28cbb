import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { deserializeMessage, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** The largest request specmap reads (a JSON-RPC message is one line on stdin). */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** How much of an oversized line is kept at each end, to find its id and method. */
const EDGE = 4096;

/**
 * MCP over stdio, one JSON-RPC message per line, like the SDK's StdioServerTransport — except that a request too
 * large to read is answered and skipped instead of closing the transport (the SDK's transport stops reading once its
 * buffer passes 10 MiB, and the server then hangs with the client waiting). An oversized tools/call gets a tool
 * error, any other request a JSON-RPC error; either way the next message is served.
 */
export class LineStdioTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;
  private chunks: Buffer[] = [];
  private size = 0;
  /** While skipping an oversized line: its first and last bytes, and how long it was. */
  private skipping: { head: Buffer; tail: Buffer; bytes: number } | undefined;
  private readonly ondata = (chunk: Buffer) => this.take(chunk);
  private readonly onfail = (err: Error) => this.onerror?.(err);

  constructor(private readonly input: NodeJS.ReadableStream = process.stdin, private readonly output: NodeJS.WritableStream = process.stdout) {}

  async start(): Promise<void> {
    this.input.on('data', this.ondata);
    this.input.on('error', this.onfail);
  }

  async close(): Promise<void> {
    this.input.off('data', this.ondata);
    this.input.off('error', this.onfail);
    this.chunks = [];
    this.onclose?.();
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((done) => {
      if (this.output.write(serializeMessage(message))) done();
      else this.output.once('drain', done);
    });
  }

  private take(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      const nl = chunk.indexOf(0x0a, at);
      const part = chunk.subarray(at, nl < 0 ? chunk.length : nl);
      if (this.skipping) this.skip(part);
      else if (this.size + part.length > MAX_REQUEST_BYTES) {
        const whole = Buffer.concat([...this.chunks, part]);
        this.skipping = { head: whole.subarray(0, EDGE), tail: Buffer.alloc(0), bytes: 0 };
        this.skip(whole);
        this.chunks = [];
        this.size = 0;
      } else {
        this.chunks.push(part);
        this.size += part.length;
      }
      if (nl < 0) break;
      this.endLine();
      at = nl + 1;
    }
  }

  private skip(part: Buffer): void {
    const s = this.skipping!;
    s.bytes += part.length;
    s.tail = Buffer.concat([s.tail, part.subarray(Math.max(0, part.length - EDGE))]).subarray(-EDGE);
  }

  private endLine(): void {
    if (this.skipping) {
      const s = this.skipping;
      this.skipping = undefined;
      void this.refuse(s.head.toString('utf8'), s.tail.toString('utf8').replace(/\r$/, ''), s.bytes);
      return;
    }
    const line = Buffer.concat(this.chunks).toString('utf8').replace(/\r$/, '');
    this.chunks = [];
    this.size = 0;
    if (line.trim() === '') return;
    let message: JSONRPCMessage;
    try {
      message = deserializeMessage(line);
    } catch (err) {
      this.onerror?.(err as Error);
      return;
    }
    this.onmessage?.(message);
  }

  /** The answer to a request too large to read: its id and method are found in the bytes kept from its ends. */
  private async refuse(head: string, tail: string, bytes: number): Promise<void> {
    // The id is the message's last key (as the SDK's client writes it) or, from other clients, one of its first.
    const value = '(-?\\d+|"(?:[^"\\\\]|\\\\.)*")';
    const id = new RegExp(`"id"\\s*:\\s*${value}\\s*}\\s*$`).exec(tail)?.[1] ?? new RegExp(`^\\s*{[^{]*?"id"\\s*:\\s*${value}`).exec(head)?.[1];
    const edges = `${head}${tail}`;
    if (id === undefined) return; // a notification has no answer
    const text = `request of ${bytes.toLocaleString('en')} bytes refused: specmap reads requests of up to ${MAX_REQUEST_BYTES / 1024 / 1024} MiB; send less (fewer paths per call)`;
    const message = /"method"\s*:\s*"tools\/call"/.test(edges)
      ? { jsonrpc: '2.0' as const, id: JSON.parse(id) as string | number, result: { isError: true, content: [{ type: 'text' as const, text }] } }
      : { jsonrpc: '2.0' as const, id: JSON.parse(id) as string | number, error: { code: -32600, message: text } };
    await this.send(message as JSONRPCMessage);
  }
}
