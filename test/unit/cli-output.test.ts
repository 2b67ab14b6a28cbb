import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { progressText } from '../../src/adapters/cli/progress.js';
import { colorWanted, pagerCommand } from '../../src/adapters/cli/terminal.js';
import { nameLines } from '../../src/adapters/cli/table.js';
import { count, humanBytes, localStamp, utcOffset } from '../../src/adapters/cli/units.js';
import { ProgressSplitter, parseGitProgress, type GitProgress } from '../../src/storage/git/parse/progress.js';
import { settingsFrom } from '../../src/shared/settings.js';
import type { Progress, ProgressPhase } from '../../src/shared/progress.js';

const PHASES: ProgressPhase[] = ['snapshot', 'archive', 'hash', 'verify', 'check', 'extract', 'stage', 'zip', 'record', 'restore', 'scan', 'push', 'fetch', 'upload', 'download'];

describe('the progress line', () => {
  it('is never wider than the terminal less one column, whatever it reports (so \\r redraws it in place)', () => {
    const progress = fc.record({
      phase: fc.constantFrom(...PHASES),
      files: fc.nat(10_000_000),
      totalFiles: fc.nat(10_000_000),
      bytes: fc.nat(Number.MAX_SAFE_INTEGER),
      totalBytes: fc.nat(Number.MAX_SAFE_INTEGER),
      step: fc.option(fc.constantFrom('Writing objects', 'remote: Compressing objects', 'Receiving objects'), { nil: undefined }),
    });
    fc.assert(fc.property(progress, fc.nat(10_000_000), fc.integer({ min: 1, max: 300 }), (p, ms, columns) => {
      const line = progressText(p as Progress, ms, columns);
      expect(line.length).toBeLessThanOrEqual(Math.max(20, columns) - 1);
      // ASCII only: its length is its width on any terminal.
      expect(line).toMatch(/^[\x20-\x7e]*$/);
    }), { numRuns: 2000 });
  });

  it('shows phase, bar, percent, count, bytes, rate and ETA when there is room, and drops the rate before the count when there is not', () => {
    const p: Progress = { phase: 'archive', files: 2500, totalFiles: 5000, bytes: 10 * 1024 * 1024, totalBytes: 0 };
    const wide = progressText(p, 4000, 120);
    expect(wide).toBe('archiving  [#########---------]  50%  2,500/5,000 files  10.0 MiB  2.5 MiB/s  ETA 4s');
    const narrow = progressText(p, 4000, 50);
    expect(narrow).toContain('50%');
    expect(narrow).toContain('ETA 4s');
    expect(narrow).not.toContain('MiB/s');
    expect(narrow.length).toBeLessThanOrEqual(49);
  });

  it('names git\'s own step, counts what has no total, and shows the time a phase with nothing to count has taken', () => {
    expect(progressText({ phase: 'push', step: 'Writing objects', files: 3, totalFiles: 10, bytes: 0, totalBytes: 0 }, 500, 80)).toBe('push: Writing objects  [###-------]  30%  3/10');
    expect(progressText({ phase: 'snapshot', files: 1500, totalFiles: 0, bytes: 0, totalBytes: 0 }, 3000, 80)).toBe('snapshotting  1,500 files  500 files/s  3s');
    expect(progressText({ phase: 'record', files: 0, totalFiles: 0, bytes: 0, totalBytes: 0 }, 65_000, 80)).toBe('recording...  1m05s');
    expect(progressText({ phase: 'upload', files: 1, totalFiles: 3, bytes: 0, totalBytes: 0 }, 0, 80)).toContain('1/3 backups');
  });
});

describe('git --progress on stderr', () => {
  const fixture = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'git', name), 'utf8');

  it('reads every report of a real push, and keeps the other lines for messages', () => {
    const seen: GitProgress[] = [];
    const split = new ProgressSplitter((p) => seen.push(p));
    // Fed in small pieces, as a pipe delivers it.
    const text = fixture('push-progress.err');
    for (let i = 0; i < text.length; i += 7) split.feed(text.slice(i, i + 7));
    const rest = split.rest();
    expect([...new Set(seen.map((p) => p.step))]).toEqual(['Enumerating objects', 'Counting objects', 'Compressing objects', 'Writing objects']);
    const last = seen[seen.length - 1]!;
    expect(last).toMatchObject({ step: 'Writing objects', done: 10, total: 10, finished: true });
    expect(last.bytes).toBeGreaterThan(1024 * 1024);
    expect(rest).toContain('Delta compression using up to');
    expect(rest).toMatch(/^Total 10 /m);
    expect(rest).not.toContain('objects:');
  });

  it('reads the other side\'s reports of a fetch, prefixed remote:', () => {
    const seen: GitProgress[] = [];
    const split = new ProgressSplitter((p) => seen.push(p));
    split.feed(fixture('fetch-progress.err'));
    const rest = split.rest();
    expect(seen.some((p) => p.step === 'remote: Counting objects' && p.total === 122)).toBe(true);
    expect(seen.some((p) => p.step === 'Receiving objects' && p.finished && p.done === 122 && p.bytes > 5 * 1024)).toBe(true);
    expect(rest).toContain('From ');
    expect(rest).toContain('[new branch]');
  });

  it('takes a count without a total, and refuses what is not a report', () => {
    expect(parseGitProgress('Enumerating objects: 1234')).toEqual({ step: 'Enumerating objects', done: 1234, total: 0, bytes: 0, finished: false });
    expect(parseGitProgress('Writing objects:  45% (450/1000), 1.50 KiB | 1.00 KiB/s')).toMatchObject({ done: 450, total: 1000, bytes: 1536 });
    expect(parseGitProgress('fatal: the remote end hung up unexpectedly')).toBeUndefined();
    expect(parseGitProgress('To ../remote.git')).toBeUndefined();
  });
});

describe('counts and sizes', () => {
  it('says one in the singular and every other count in the plural, grouped in thousands', () => {
    expect(count(1, 'file')).toBe('1 file');
    expect(count(0, 'file')).toBe('0 files');
    expect(count(2, 'session')).toBe('2 sessions');
    expect(count(5003, 'file')).toBe('5,003 files');
    expect(count(1, 'entry', 'entries')).toBe('1 entry');
    expect(count(3, 'entry', 'entries')).toBe('3 entries');
  });

  it('prints sizes in binary units', () => {
    expect(humanBytes(0)).toBe('0 B');
    expect(humanBytes(1023)).toBe('1023 B');
    expect(humanBytes(1536)).toBe('1.5 KiB');
    expect(humanBytes(20 * 1024 * 1024)).toBe('20.0 MiB');
    expect(humanBytes(3.5 * 1024 ** 3)).toBe('3.5 GiB');
  });

  it('lists ten names, then how many more', () => {
    const names = Array.from({ length: 12 }, (_, i) => `f${i}`);
    expect(nameLines(names, false)).toEqual([...names.slice(0, 10).map((n) => `   ${n}`), '   … and 2 more (--verbose lists them all)']);
    expect(nameLines(names, true)).toHaveLength(12);
    expect(nameLines(names.slice(0, 10), false)).toHaveLength(10);
  });
});

describe('local times with their UTC offset', () => {
  const tz = process.env.TZ;
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it("follows the time zone's rules for that day (summer and winter time)", () => {
    process.env.TZ = 'Europe/Berlin';
    expect(utcOffset('2025-07-01', '12:00:00')).toBe('+02:00');
    expect(utcOffset('2025-12-01', '12:00:00')).toBe('+01:00');
    process.env.TZ = 'America/St_Johns';
    expect(localStamp('2025-12-01', '09:30:00')).toBe('2025-12-01 09:30:00 -03:30');
    process.env.TZ = 'UTC';
    expect(localStamp('2025-10-25', '14:30:00')).toBe('2025-10-25 14:30:00 +00:00');
    expect(localStamp('2025-10-25', 'noon')).toBe('2025-10-25 noon');
  });
});

describe('colour', () => {
  const base = { noColor: false, tty: true, term: 'xterm' };

  it('takes --color first, then git\'s color.ui, then FORCE_COLOR, then NO_COLOR, then the terminal', () => {
    expect(colorWanted({ ...base, flag: 'never' })).toBe(false);
    expect(colorWanted({ ...base, tty: false, noColor: true, flag: 'always' })).toBe(true);
    expect(colorWanted({ ...base, tty: false, colorUi: 'always' })).toBe(true);
    expect(colorWanted({ ...base, noColor: true, colorUi: 'always' })).toBe(true);
    expect(colorWanted({ ...base, colorUi: 'never', forceColor: true })).toBe(false);
    expect(colorWanted({ ...base, colorUi: 'false' })).toBe(false);
    expect(colorWanted({ ...base, tty: false, colorUi: 'auto', forceColor: true })).toBe(true);
    expect(colorWanted({ ...base, forceColor: false })).toBe(false);
    expect(colorWanted({ ...base, noColor: true, forceColor: true })).toBe(true);
    expect(colorWanted({ ...base, noColor: true })).toBe(false);
    expect(colorWanted({ ...base, colorUi: 'true' })).toBe(true);
    expect(colorWanted({ ...base, tty: false })).toBe(false);
    expect(colorWanted({ ...base, term: 'dumb' })).toBe(false);
    // --color=auto leaves color.ui out.
    expect(colorWanted({ ...base, tty: false, flag: 'auto', colorUi: 'always' })).toBe(false);
  });

  it('reads FORCE_COLOR as node does: 0 and false forbid colour, any other value forces it', () => {
    expect(settingsFrom({ FORCE_COLOR: '1' }).forceColor).toBe(true);
    expect(settingsFrom({ FORCE_COLOR: '3' }).forceColor).toBe(true);
    expect(settingsFrom({ FORCE_COLOR: '0' }).forceColor).toBe(false);
    expect(settingsFrom({ FORCE_COLOR: 'false' }).forceColor).toBe(false);
    expect(settingsFrom({ FORCE_COLOR: '' }).forceColor).toBeUndefined();
    expect(settingsFrom({}).forceColor).toBeUndefined();
  });
});

describe('the pager', () => {
  it('is picked as git picks it: GIT_PAGER, core.pager, PAGER, else less; empty or cat means none', () => {
    expect(pagerCommand({ gitPager: 'most', corePager: 'less -S', pager: 'more' })).toBe('most');
    expect(pagerCommand({ corePager: 'less -S', pager: 'more' })).toBe('less -S');
    expect(pagerCommand({ pager: 'more' })).toBe('more');
    expect(pagerCommand({})).toBe('less');
    expect(pagerCommand({ gitPager: '', pager: 'more' })).toBeUndefined();
    expect(pagerCommand({ corePager: 'cat' })).toBeUndefined();
  });
});
