import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { specmapBin } from '../support/cli.js';
import { makeRepo } from '../support/repo.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The README's "First five minutes" console block as steps: each `$ ` line and the output printed after it. */
function walkthrough(): { command: string; output: string }[] {
  const section = README.slice(README.indexOf('## First five minutes'));
  const start = section.indexOf('```console\n') + '```console\n'.length;
  const block = section.slice(start, section.indexOf('\n```', start));
  const steps: { command: string; output: string[] }[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('$ ')) steps.push({ command: line.slice(2), output: [] });
    else steps.at(-1)!.output.push(line);
  }
  return steps.map((s) => ({ command: s.command, output: s.output.join('\n').trimEnd() }));
}

/** What differs from run to run: dates, times, hashes, sizes and the zone's offset. */
const normalise = (text: string) => text
  .replace(/(checkpoint-\d{3})-\d{2}-\d{2}-\d{2}/g, '$1-TIME')
  .replace(/\d{4}-\d{2}-\d{2}/g, 'DATE')
  .replace(/\d{2}([:-])\d{2}\1\d{2}/g, 'TIME')
  .replace(/\b[0-9a-f]{7,40}\b/g, 'HASH')
  .replace(/[\d.]+ (?:B|KiB|MiB)\b/g, 'SIZE')
  .replace(/ [+-]\d{2}:\d{2}\b/g, ' OFFSET')
  .replace(/ +$/gm, '');

describe("the README's first five minutes", () => {
  it('prints what the README shows, step by step, in a fresh repository', () => {
    const repo = makeRepo({ commit: false });
    repo.write('auth.py', 'def login(user, password):\n    return check(user)\n\n');
    repo.commitAll('Initial commit');
    // `specmap` on PATH, as an installed one is.
    const env = { ...repo.env, PATH: `${specmapBin(join(repo.home, 'bin'))}:${repo.env.PATH}` };
    const steps = walkthrough();
    expect(steps.map((s) => s.command.split(' ')[0])).toEqual(expect.arrayContaining(['specmap', 'git', 'echo']));
    for (const { command, output } of steps) {
      // The one step the README describes in words.
      if (command === '# edit auth.py') {
        repo.write('auth.py', 'def login(user, password):\n    return check(user, password)\n');
        continue;
      }
      const r = spawnSync('sh', ['-c', command], { cwd: repo.dir, env, encoding: 'utf8' });
      expect({ command, status: r.status, stderr: r.stderr }).toEqual({ command, status: 0, stderr: '' });
      expect({ command, output: normalise(r.stdout.trimEnd()) }).toEqual({ command, output: normalise(output) });
    }
  }, 120_000);
});
