import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORK, ensureDir, registerScratch, rmrf, run, scratchDir, specmap, specmapJson } from '../lib/exec.mjs';
import { prng, seedOf } from '../lib/prng.mjs';
import { workingCopy } from '../lib/repo-gen.mjs';
import { GROUPS, alternate, median, row, targets } from '../lib/timing.mjs';

/** Session workspace contents: a typical one (notes, decisions, a few artifacts) and a heavy one. */
const WORKSPACES = {
  small: { files: 20, binary: false },
  large: { files: 2000, binary: true },
};

export function workspaceTemplate(kind) {
  const dir = registerScratch(join(WORK, 'run', `zip-template-${kind}`));
  if (existsSync(join(dir, '.done'))) return dir;
  rmrf(dir);
  const r = prng(seedOf(`workspace:${kind}`));
  const { files, binary } = WORKSPACES[kind];
  const folders = ['notes', 'decisions', 'artifacts', 'artifacts/src', 'artifacts/data'];
  for (let i = 0; i < files; i += 1) {
    const folder = folders[i % folders.length];
    ensureDir(join(dir, folder));
    const lines = Array.from({ length: 20 + r.int(200) }, (_, k) => `line ${k} of file ${i}: ${r.next().toString(36).repeat(3)}`);
    writeFileSync(join(dir, folder, `item-${i}.md`), `${lines.join('\n')}\n`);
  }
  if (binary) writeFileSync(join(dir, 'artifacts', 'data', 'capture.bin'), r.bytes(5 * 1024 * 1024));
  writeFileSync(join(dir, '.done'), '');
  return dir;
}

/** `specmap end` (archive + ZIP at level 6) vs `zip -r -q -6` of the same workspace folder. */
export async function endZipCase(ctx) {
  const dir = workingCopy('S', 'end-zip', ctx.log);
  const out = scratchDir('end-zip-out');
  const kinds = ctx.quick ? ['small'] : ['small', 'large'];
  const rows = [];
  for (const kind of kinds) {
    const tmpl = workspaceTemplate(kind);
    const runs = ctx.quick ? 2 : kind === 'small' ? 9 : 5;
    let id;
    const sizes = { specmap: [], baseline: [] };
    const active = join(dir, '04-agents', 'sessions', 'active');
    const archive = join(dir, '04-agents', 'sessions', 'archive');
    const r = alternate({
      runs,
      before: (i) => {
        id = specmapJson(dir, ['start', `zip ${kind} ${i}`]).session_id;
        run('cp', ['-r', `${tmpl}/.`, join(active, id)]);
        rmrf(join(active, id, '.done'));
      },
      a: () => {
        const { ms } = specmap(dir, ['end', id]);
        const zip = join(dir, '04-agents', 'backups', 'sessions', `${id}-backup.zip`);
        sizes.specmap.push(statSync(zip).size);
        return ms;
      },
      b: () => {
        // Whichever side runs first, the folder is zipped where it is at that moment (active/ or archive/).
        const parent = existsSync(join(active, id)) ? active : archive;
        const zip = join(out, `${id}.zip`);
        const { ms } = run('zip', ['-r', '-q', '-6', zip, id], { cwd: parent });
        sizes.baseline.push(statSync(zip).size);
        rmrf(zip);
        return ms;
      },
    });
    rmrf(archive);
    mkdirSync(archive);
    rmrf(join(dir, '04-agents', 'backups', 'sessions'));
    const spec = WORKSPACES[kind];
    rows.push(row({
      id: `end-zip-${kind}`,
      label: `specmap end vs zip -r -6, ${kind} workspace (${spec.files} files${spec.binary ? ' + 5 MB binary' : ''})`,
      a: r.a,
      b: r.b,
      ...targets.ratio(1.3, 'zip -r -6', GROUPS.earlier),
      extra: { zip_bytes: { specmap: median(sizes.specmap), baseline: median(sizes.baseline) } },
    }));
  }
  ctx.cleanup(dir);
  ctx.cleanup(out);
  for (const kind of kinds) ctx.cleanup(join(WORK, 'run', `zip-template-${kind}`));
  return {
    key: 'end',
    title: 'Session end with its ZIP backup',
    rows,
    note: 'The sessions have no checkpoints, so the ZIP holds exactly the workspace folder, like the baseline. '
      + 'specmap end also finalises session.yaml, moves the folder to archive/, and writes the day summary and TRACKING.md.',
  };
}
