import { readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { SpecmapError, asSpecmapError } from '../../shared/errors.js';
import { pathWithin } from '../../shared/path-text.js';
import { settings } from '../../shared/settings.js';

/** What every tool handler gets besides its arguments. */
export interface ServerContext {
  /** The server's working directory: where `project_path` defaults to and relative ones resolve from. */
  cwd: string;
  /** The folders the client declared as its roots (MCP roots), as paths; none when it declares none. */
  roots: () => Promise<string[]>;
  /** Where unexpected failures (bugs) are logged; never stdout, which belongs to the protocol. */
  log: (line: string) => void;
}

export interface ToolAnswer<T> {
  /** A few lines a model (or a person) reads first. */
  text: string;
  /** The whole result, matching the tool's output schema. */
  data: T;
}

export interface ToolDefinition<I extends z.ZodRawShape, O extends z.ZodRawShape> {
  /** The tool's name, which is also its file's name under tools/. */
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations?: ToolAnnotations;
  run: (args: z.infer<z.ZodObject<I>>, ctx: ServerContext) => Promise<ToolAnswer<z.infer<z.ZodObject<O>>>>;
}

/**
 * The project folder a call works in: `project_path` resolved against the server's working directory. A path a
 * model gives is confined (see allowedPath): a model cannot open any repository on disk.
 */
export async function projectDir(ctx: ServerContext, path: string | undefined): Promise<string> {
  if (path === undefined) return resolve(ctx.cwd);
  return allowedPath(ctx, resolve(ctx.cwd, path), path, 'project_path');
}

/**
 * The one confinement of a folder a model names (`project_path`, fork's `worktree`): `dir` (absolute) must lie in
 * the server's folder, one of the client's roots, or a folder named in SPECMAP_MCP_ALLOW_PATHS, links resolved —
 * for a folder not made yet, those of its nearest existing parent —, else PATH_OUTSIDE_PROJECT. `given` is the
 * model's text, quoted in the error under the name `field`.
 */
export async function allowedPath(ctx: ServerContext, dir: string, given: string, field: string): Promise<string> {
  // Where `p` leads: a dangling link, where it points; a name not there yet, inside its parent's real folder. A
  // chain of links too long (a loop) leads nowhere (undefined).
  const real = (p: string, links = 0): string | undefined => {
    try {
      return realpathSync(p);
    } catch {
      if (links > 40) return undefined;
      let target: string | undefined;
      try {
        target = readlinkSync(p);
      } catch {
        // not a link
      }
      if (target !== undefined) return real(resolve(dirname(p), target), links + 1);
      const parent = dirname(p);
      if (parent === p) return p;
      const up = real(parent, links);
      return up === undefined ? undefined : join(up, basename(p));
    }
  };
  const allowed = [ctx.cwd, ...settings().mcpAllowPaths.map((p) => resolve(ctx.cwd, p)), ...(await ctx.roots())];
  const target = real(dir);
  if (target !== undefined && allowed.some((a) => {
    const r = real(a);
    return r !== undefined && pathWithin(target, r);
  })) return dir;
  throw new SpecmapError(
    'PATH_OUTSIDE_PROJECT',
    `${field} ${JSON.stringify(given.slice(0, 200))} is outside the folders this server may open: its own folder (${ctx.cwd}), the client's roots, and SPECMAP_MCP_ALLOW_PATHS`,
    { kind: 'mcp-project-path' },
  );
}

/**
 * The one place tool failures are shaped. Specmap's own errors (bad id, unknown session, path outside the project,
 * no git repository, ...) become a tool error with their one sentence; anything else is a bug: it is logged to
 * stderr with its stack and the model gets one sentence saying so. Either way the server keeps running.
 */
export function toolError(err: unknown, tool: string, ctx: ServerContext): CallToolResult {
  const known = asSpecmapError(err);
  if (known) {
    // Where to look next, said in this server's terms (the CLI says it in its own).
    const text = known.code === 'NOTHING_TO_DO' && known.details.kind === 'unchanged' && tool === 'session_checkpoint'
      ? `${known.message} (pass allow_empty: true to checkpoint anyway)`
      : known.code === 'SESSION_NOT_FOUND' && known.details.list === 'sessions'
        ? `${known.message} (see session_list_active with include_archived)`
        : known.message;
    return { isError: true, content: [{ type: 'text', text }], _meta: { 'specmap/code': known.code } };
  }
  ctx.log(`specmap mcp: ${tool} failed unexpectedly: ${(err as Error)?.stack ?? String(err)}`);
  const message = (err as Error)?.message ?? String(err);
  return {
    isError: true,
    content: [{ type: 'text', text: `internal error in ${tool}: ${message.split('\n')[0]} (a bug in specmap; details are on the server's stderr)` }],
    _meta: { 'specmap/code': 'INTERNAL' },
  };
}

/** Names a tool's definition (its input and output types are inferred from the schemas). */
export function defineTool<I extends z.ZodRawShape, O extends z.ZodRawShape>(name: string, def: Omit<ToolDefinition<I, O>, 'name'>): ToolDefinition<I, O> {
  return { name, ...def };
}

/** Registers one tool: its schemas with the SDK, and a handler that turns every failure into a tool error. */
export function addTool<I extends z.ZodRawShape, O extends z.ZodRawShape>(server: McpServer, ctx: ServerContext, def: ToolDefinition<I, O>): void {
  const name = def.name;
  const handler = async (args: z.infer<z.ZodObject<I>>): Promise<CallToolResult> => {
    try {
      const { text, data } = await def.run(args, ctx);
      return { content: [{ type: 'text', text }], structuredContent: data as Record<string, unknown> };
    } catch (err) {
      return toolError(err, name, ctx);
    }
  };
  server.registerTool(
    name,
    { title: def.title, description: def.description, inputSchema: def.input, outputSchema: def.output, annotations: def.annotations },
    // The SDK's callback type is generic over its own zod-compat shapes; the schemas above are what it validates with.
    handler as never,
  );
}
