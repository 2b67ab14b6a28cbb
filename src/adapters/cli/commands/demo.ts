import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { end } from '../../../api/end.js';
import { listSessions } from '../../../api/list-sessions.js';
import { start } from '../../../api/start.js';
import { track } from '../../../api/track.js';
import { checkpoint } from '../../../api/checkpoint.js';
import { diff as diffCheckpoints } from '../../../api/diff.js';
import { log as checkpointLog } from '../../../api/log.js';
import { restoreCheckpoint } from '../../../api/restore-checkpoint.js';
import { renderCheckpoint } from './checkpoint.js';
import { renderRestoredCheckpoint } from './restore.js';
import { renderLog } from '../render-log.js';
import { createDemoRepo, demoFacts } from '../../../api/demo.js';
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
    await createDemoRepo(dir, { 'README.md': '# Demo app\n', 'src/main.js': "console.log('hello');\n" });
    say('git commit -m "Initial commit"', null, '[main (root-commit)] Initial commit: README.md, src/main.js');

    const started = await start({ cwd: dir, focus: 'authentication feature', agent: 'claude' });
    say('specmap start "authentication feature" claude', started, renderStart(started));

    writeFileSync(join(dir, 'src', 'auth.js'), 'export function login(user) {\n  return Boolean(user);\n}\n');
    writeFileSync(join(dir, 'src', 'main.js'), "import { login } from './auth.js';\nconsole.log(login('ada'));\n");
    writeFileSync(join(dir, started.workspace, 'notes', 'ideas.md'), '- try tokens next\n');
    for (const [file, action] of [['src/auth.js', 'created'], ['src/main.js', 'modified']] as const) {
      const tracked = await track({ cwd: dir, session: '@', file, action });
      say(`specmap track @ ${file} ${action}`, tracked, renderTrack(tracked));
    }

    const cp1 = await checkpoint({ cwd: dir, session: '@', description: 'Login implemented' });
    say('specmap checkpoint @ "Login implemented"', cp1, renderCheckpoint(cp1));

    writeFileSync(join(dir, 'src', 'auth.js'), 'export function login(user) {\n  return Boolean(user);\n}\n\nexport function logout() {\n  return true;\n}\n');
    const cp2 = await checkpoint({ cwd: dir, session: '@', description: 'Logout added', files: ['src/auth.js'] });
    say('specmap checkpoint @ "Logout added" src/auth.js', cp2, renderCheckpoint(cp2));

    const log = await checkpointLog({ cwd: dir, session: '@' });
    say('specmap log --oneline', log, renderLog(log.checkpoints, { oneline: true }, false));

    const diff = await diffCheckpoints({ cwd: dir, from: { session: '@', checkpoint: '~1' }, to: { session: '@', checkpoint: '~0' } });
    say("specmap diff @:~1 '~0'", diff, diff.diff.trimEnd());

    writeFileSync(join(dir, 'src', 'auth.js'), 'oops, the agent clobbered this file\n');
    const restored = await restoreCheckpoint({ cwd: dir, session: '@', checkpoint: '~0', inPlace: true, paths: ['src/auth.js'] });
    say('specmap restore checkpoint @:~0 --in-place src/auth.js', restored, renderRestoredCheckpoint(restored));

    const listed = await listSessions({ cwd: dir });
    say('specmap list', listed, renderList(listed));

    const ended = await end({ cwd: dir, session: started.session_id, score: '8.5' });
    say(`specmap end ${started.session_id} 8.5`, ended, renderEnd(ended));

    const all = await listSessions({ cwd: dir, all: true });
    say('specmap list --all', all, renderList(all, true));

    const facts = await demoFacts(dir, ended.backup?.path);
    if (ended.backup) {
      say(`unzip -l ${ended.backup.path}`, facts.zip_entries, facts.zip_entries.map((e) => `  ${e.name} (${e.size} bytes)`).join('\n'));
    }
    const refs = facts.session_refs;
    say('git for-each-ref refs/sessions', refs, refs.map((r) => `${r.oid} commit\t${r.ref}`).join('\n'));
    const tags = facts.checkpoint_tags;
    say("git tag -l 'checkpoints/*'", tags, tags.map((t) => t.ref.slice('refs/tags/'.length)).join('\n'));

    ctx.out.line(opts.keep ? `\nKept the demo repository: ${dir}` : '\nDone; the demo repository was removed (use --keep to look around).');
    if (ctx.out.json) ctx.out.result({ dir, kept: Boolean(opts.keep), steps }, () => '');
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}
