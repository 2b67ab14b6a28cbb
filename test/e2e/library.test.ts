import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeRepo, scratch } from '../support/repo.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A package of its own that depends on specmap the way an installed one would (node_modules/specmap). */
function consumer(): string {
  const dir = scratch('specmap-consumer-');
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'specmap'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
  return dir;
}

describe("import('specmap') from another package", () => {
  it('runs a session through the library: start, track, checkpoint, list, end', () => {
    const repo = makeRepo();
    const dir = consumer();
    writeFileSync(
      join(dir, 'run.mjs'),
      `import * as specmap from 'specmap';
const cwd = process.argv[2];
const started = await specmap.start({ cwd, focus: 'library use', agent: 'script' });
await import('node:fs').then((fs) => fs.writeFileSync(cwd + '/notes.md', 'hello\\n'));
const tracked = await specmap.track({ cwd, session: started.session_id, file: 'notes.md', action: 'created' });
const cp = await specmap.checkpoint({ cwd, session: started.session_id, description: 'first' });
const listed = await specmap.listSessions({ cwd });
let code;
try { await specmap.track({ cwd, session: 'no-such-session', file: 'notes.md', action: 'created' }); } catch (e) { code = e.code; }
console.log(JSON.stringify({ exports: Object.keys(specmap).sort(), started, tracked, cp, listed, code }));
`,
    );
    const out = JSON.parse(execFileSync(process.execPath, ['run.mjs', repo.dir], { cwd: dir, env: { ...repo.env, SPECMAP_NOW: '2025-10-25T14:30:00' }, encoding: 'utf8' }));
    expect(out.exports).toEqual(expect.arrayContaining(['start', 'track', 'checkpoint', 'listSessions', 'end', 'restoreCheckpoint', 'SpecmapError']));
    expect(out.started.session_id).toBe('2025-10-25-session-001-library-use');
    expect(out.tracked).toMatchObject({ session_id: out.started.session_id, file_path: 'notes.md', listed_as: 'created', changed: true });
    expect(out.cp.checkpoint_id).toBe('checkpoint-001-14-30-00');
    expect(out.listed.sessions.map((s: { session_id: string }) => s.session_id)).toEqual([out.started.session_id]);
    expect(out.code).toBe('SESSION_NOT_FOUND');
  });

  it('type-checks a TypeScript consumer against the published declarations', () => {
    const dir = consumer();
    writeFileSync(
      join(dir, 'use.ts'),
      `import { track, SpecmapError, type TrackResult } from 'specmap';
export async function f(): Promise<string> {
  try {
    const r: TrackResult = await track({ cwd: '.', session: '@', file: 'a.md', action: 'created' });
    return r.listed_as;
  } catch (e) {
    if (e instanceof SpecmapError) return e.code;
    throw e;
  }
}
// @ts-expect-error: the contract is snake_case; there is no camelCase field
export const wrong = (r: TrackResult) => r.listedAs;
`,
    );
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['use.ts'] }));
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    expect(() => execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: dir, encoding: 'utf8' })).not.toThrow();
  });
});
