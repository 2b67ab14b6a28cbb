import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One tool call of a scripted assistant reply. */
export interface ScriptedTool {
  name: string;
  input: Record<string, unknown>;
}

/** One scripted assistant message: optional text, then tool calls (none: the conversation's final answer). */
export interface ScriptedReply {
  text?: string;
  tools?: ScriptedTool[];
}

/**
 * The scripts, by key. A conversation runs script KEY when its latest user text carrying a marker holds
 * `[[script:KEY]]` (see `marker`); reply n is chosen by the number of tool-result messages after that prompt, so a
 * subagent whose Task prompt holds its own marker follows its own script.
 */
export type Scripts = Record<string, ScriptedReply[]>;

/** One request the server received, parsed, for assertions. */
export interface LoggedRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | undefined;
  /** The script key and reply index served, when the request was a scripted conversation's. */
  served?: { script: string; step: number };
}

export interface FakeAnthropic {
  url: string;
  /** The scripts, read on every request: a test may add its own after the server started. */
  scripts: Scripts;
  requests: LoggedRequest[];
  close(): Promise<void>;
}

/** The text that puts a prompt on script `key`. */
export const marker = (key: string): string => `[[script:${key}]]`;

const MARKER = /\[\[script:([\w-]+)\]\]/g;
const FALLBACK = 'ok';

interface Block { type?: string; text?: string; content?: unknown }
interface Message { role?: string; content?: string | Block[] }

const textOf = (m: Message): string =>
  typeof m.content === 'string' ? m.content : (m.content ?? []).filter((b) => b.type === 'text').map((b) => b.text ?? '').join('\n');
const hasToolResult = (m: Message): boolean => Array.isArray(m.content) && m.content.some((b) => b.type === 'tool_result');

/** The script and step a Messages request is at, or undefined when it carries no marker (titles, summaries …). */
export function scriptStep(body: Record<string, unknown>, scripts: Scripts): { script: string; step: number } | undefined {
  const messages = (Array.isArray(body.messages) ? body.messages : []) as Message[];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role !== 'user' || hasToolResult(m)) continue;
    const keys = [...textOf(m).matchAll(MARKER)].map((x) => x[1]!).filter((k) => k in scripts);
    if (keys.length === 0) continue;
    const step = messages.slice(i + 1).filter((x) => x.role === 'user' && hasToolResult(x)).length;
    return { script: keys[keys.length - 1]!, step };
  }
  return undefined;
}

type ContentBlock = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

let toolIds = 0;
function contentOf(reply: ScriptedReply): ContentBlock[] {
  const blocks: ContentBlock[] = [];
  if (reply.text !== undefined || !reply.tools?.length) blocks.push({ type: 'text', text: reply.text ?? FALLBACK });
  for (const t of reply.tools ?? []) blocks.push({ type: 'tool_use', id: `toolu_fake_${++toolIds}`, name: t.name, input: t.input });
  return blocks;
}

function messageOf(model: string, content: ContentBlock[]) {
  return {
    id: `msg_fake_${++toolIds}`, type: 'message', role: 'assistant', model, content,
    stop_reason: content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn', stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  };
}

/** The Messages API's streaming form of `message`: the SSE events Claude Code's SDK reads. */
function sse(res: ServerResponse, message: ReturnType<typeof messageOf>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const send = (type: string, data: Record<string, unknown>) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  send('message_start', { message: { ...message, content: [], stop_reason: null, usage: { ...message.usage, output_tokens: 1 } } });
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      send('content_block_start', { index, content_block: { type: 'text', text: '' } });
      send('content_block_delta', { index, delta: { type: 'text_delta', text: block.text } });
    } else {
      send('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } });
      const json = JSON.stringify(block.input);
      // Two halves, as the real API splits a tool's input JSON into partial deltas.
      const half = Math.floor(json.length / 2);
      send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: json.slice(0, half) } });
      send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: json.slice(half) } });
    }
    send('content_block_stop', { index });
  });
  send('message_delta', { delta: { stop_reason: message.stop_reason, stop_sequence: null }, usage: { output_tokens: message.usage.output_tokens } });
  send('message_stop', {});
  res.end();
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  if (chunks.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * A scripted stand-in for the Anthropic Messages API on 127.0.0.1 (a random port): `POST /v1/messages`, streaming
 * or not, answers from `scripts` (see `Scripts`), anything without a marker with a short text; count_tokens gets a
 * count; every other request a 200 with `{}` so nothing waits. Every request is logged in `requests`.
 */
export async function startFakeAnthropic(scripts: Scripts): Promise<FakeAnthropic> {
  const requests: LoggedRequest[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0]!;
      const body = await readBody(req);
      const logged: LoggedRequest = { method: req.method ?? 'GET', path, body };
      requests.push(logged);
      if (req.method === 'POST' && path === '/v1/messages/count_tokens') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ input_tokens: 100 }));
        return;
      }
      if (req.method === 'POST' && path === '/v1/messages' && body) {
        const at = scriptStep(body, scripts);
        if (at) logged.served = at;
        const reply = at ? (scripts[at.script]![at.step] ?? { text: FALLBACK }) : { text: FALLBACK };
        const message = messageOf(typeof body.model === 'string' ? body.model : 'claude-fake', contentOf(reply));
        if (body.stream === true) sse(res, message);
        else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(message));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    })().catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err.message));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    scripts,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
