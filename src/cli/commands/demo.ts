import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endSession } from '../../core/end.js';
import { listSessions } from '../../core/list.js';
import { startSession } from '../../core/start.js';
import { trackArtifact } from '../../core/track.js';
import { commitAll, findRepo, initRepo, listRefs } from '../../git/index.js';
import { listZip } from '../../archive/zip-reader.js';
import type { CommandContext } from '../output.js';
import { renderEnd } from './end.js';
import { renderList } from './list.js';
import { renderStart } from './start.js';
import { renderTrack } from './track.js';

interface DemoStep {
  command: string;
  output: unknown;
}

/**
 * A real lifecycle in a throwaway repository: the same core calls the commands make, printed as a transcript.
 * With --json, the steps and their results.
 */
export async function run(ctx: CommandContext, opts: { keep?: boolean }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'specmap-demo-'));
  const steps: DemoStep[] = [];
  const say = (command: string, output: unknown, text: string) => {
    steps.push({ command, output });
    ctx.out.line(`\n$ ${command}`);
    ctx.out.line(text);
  };
  try {
    ctx.out.line(`specmap demo: a throwaway repository in ${dir}`);
    await initRepo(dir);
    const repo = await findRepo(dir);
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'README.md'), '# Demo app\n');
    writeFileSync(join(dir, 'src', 'main.js'), "console.log('hello');\n");
    await commitAll(repo, 'Initial commit', new Date());
    say('git commit -m "Initial commit"', null, '[main (root-commit)] Initial commit: README.md, src/main.js');

    const started = await startSession({ cwd: dir, focus: 'authentication feature', agent: 'claude' });
    say('specmap start "authentication feature" claude', started, renderStart(started));

    writeFileSync(join(dir, 'src', 'auth.js'), 'export function login(user) {\n  return Boolean(user);\n}\n');
    writeFileSync(join(dir, 'src', 'main.js'), "import { login } from './auth.js';\nconsole.log(login('ada'));\n");
    writeFileSync(join(dir, started.workspace, 'notes', 'ideas.md'), '- try tokens next\n');
    for (const [file, action] of [['src/auth.js', 'created'], ['src/main.js', 'modified']] as const) {
      const tracked = await trackArtifact({ cwd: dir, session: '@', file, action });
      say(`specmap track @ ${file} ${action}`, tracked, renderTrack(tracked));
    }

    const listed = await listSessions({ cwd: dir });
    say('specmap list', listed, renderList(listed));

    const ended = await endSession({ cwd: dir, session: started.id, score: '8.5' });
    say(`specmap end ${started.id} 8.5`, ended, renderEnd(ended));

    const all = await listSessions({ cwd: dir, all: true });
    say('specmap list --all', all, renderList(all, true));

    if (ended.backup) {
      const entries = await listZip(join(dir, ended.backup.path));
      const files = entries.filter((e) => !e.isDirectory).map((e) => `  ${e.name} (${e.size} bytes)`);
      say(`unzip -l ${ended.backup.path}`, entries, files.join('\n'));
    }
    const refs = await listRefs(repo, 'refs/sessions/');
    say('git for-each-ref refs/sessions', refs, refs.map((r) => `${r.oid} commit\t${r.ref}`).join('\n'));

    ctx.out.line(opts.keep ? `\nKept the demo repository: ${dir}` : '\nDone; the demo repository was removed (use --keep to look around).');
    if (ctx.out.json) ctx.out.result({ dir, kept: Boolean(opts.keep), steps }, () => '');
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}
