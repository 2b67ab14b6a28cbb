import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scratch } from '../support/repo.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// Timings are the benchmark's business (npm run bench, docs/benchmarks.md); this only proves the harness still runs
// end to end against the built CLI, so it cannot rot between benchmark runs.
describe('benchmark harness', () => {
  it('runs a quick pass of two cases and writes results with a ratio for each row', () => {
    const work = scratch();
    const out = join(work, 'results.json');
    const r = spawnSync(process.execPath, ['bench/run.mjs', '--quick', '--only', 'startup,checkpoint', '--out', out, '--no-docs'], {
      cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, SPECMAP_BENCH_WORK: join(work, 'bench') },
    });
    expect(r.status, r.stderr).toBe(0);
    const results = JSON.parse(readFileSync(out, 'utf8'));
    expect(results.mode).toBe('quick');
    expect(results.machine.cores).toBeGreaterThan(0);
    expect(results.sections.map((s: { key: string }) => s.key)).toEqual(['startup', 'checkpoint']);
    const [row] = results.sections[1].rows;
    expect(row.specmap_ms).toBeGreaterThan(0);
    expect(row.baseline_ms).toBeGreaterThan(0);
    expect(row.ratio).toBeCloseTo(row.specmap_ms / row.baseline_ms, 1);
    expect(row.samples.specmap).toHaveLength(3);
  }, 150_000);
});
