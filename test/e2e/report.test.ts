import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, scratch, type TestRepo } from '../support/repo.js';
import { ok, oneLineError, runCli, type CliOptions } from '../support/cli.js';

const S1 = '2025-10-21-session-001-auth';
const S2 = '2025-10-21-session-002-late-night-fixes';
const LONG_FOCUS = 'design the public api surface for billing and invoices with retries';
const REPORT = '04-agents/reports/report.html';

/** What an agent writes into summary.md: Markdown, with HTML that must stay text. */
const SUMMARY = `# Session summary: ${S1}

## What was done

- Added **login** with \`bcrypt\`
  - see [the docs](https://example.com/auth?x=1&y=2)
- [x] tests written
- <script>document.title = 'owned'</script> and [bad](javascript:alert(1))
`;

/**
 * Four sessions over four days, one of them without a session: 10-21 (two, the second late at night, up to 23:55),
 * 10-22 (a focus too long for a timeline label), 10-23 (none), 10-24 (still active). The work is committed after
 * each session, as a user would; checkpoints name no files, so the workspace's own files are in them.
 */
async function history(): Promise<{ repo: TestRepo; o: CliOptions }> {
  const repo = makeRepo();
  const o = { cwd: repo.dir, env: repo.env };
  const at = (d: string, t: string) => ({ ...o, now: `${d}T${t}` });
  await ok(['start', 'auth'], at('2025-10-21', '09:00:00'));
  repo.write('src/auth.js', 'a\n');
  await ok(['track', '@', 'src/auth.js', 'created'], o);
  await ok(['checkpoint', '@', 'Auth skeleton'], at('2025-10-21', '09:30:00'));
  repo.write(`04-agents/sessions/active/${S1}/summary.md`, SUMMARY);
  await ok(['end', '@', '7'], at('2025-10-21', '10:00:00'));
  repo.commitAll('auth');

  await ok(['start', 'late night fixes'], at('2025-10-21', '22:00:00'));
  repo.write('src/late.js', 'b\n');
  await ok(['track', '@', 'src/late.js', 'created'], o);
  await ok(['checkpoint', '@', 'Late fix'], at('2025-10-21', '23:50:00'));
  await ok(['end', '@', '8'], at('2025-10-21', '23:55:00'));
  repo.commitAll('late');

  await ok(['start', LONG_FOCUS], at('2025-10-22', '09:00:00'));
  repo.write('src/auth.js', 'b\n');
  await ok(['track', '@', 'src/auth.js', 'modified'], o);
  await ok(['checkpoint', '@', 'API draft'], at('2025-10-22', '10:00:00'));
  repo.write('src/api.js', 'c\n');
  await ok(['track', '@', 'src/api.js', 'created'], o);
  await ok(['checkpoint', '@', 'API final'], at('2025-10-22', '11:30:00'));
  await ok(['end', '@', '9'], at('2025-10-22', '12:00:00'));
  repo.commitAll('api');

  await ok(['start', 'qa'], at('2025-10-24', '13:00:00'));
  repo.write('src/auth.js', 'c\n');
  await ok(['checkpoint', '@', 'QA pass'], at('2025-10-24', '14:00:00'));
  // Older versions recorded specmap's own files as artifacts: the report leaves them out all the same.
  const yamlPath = join(repo.dir, `04-agents/sessions/archive/${S1}/session.yaml`);
  const yaml = readFileSync(yamlPath, 'utf8');
  expect(yaml).toContain('  modified: []');
  writeFileSync(yamlPath, yaml.replace('  modified: []', '  modified:\n    - "TRACKING.md"\n    - "04-agents/session-summaries/2025-10-21.md"'));
  return { repo, o: { ...o, now: '2025-10-24T15:00:00' } };
}

describe('specmap report: the figures', () => {
  it('per day (days without sessions included), scores, checkpoints, and the project files most touched', async () => {
    const { o } = await history();
    const data = JSON.parse((await ok(['report', '--json'], o)).stdout);
    expect(data.per_day).toEqual([
      { date: '2025-10-21', sessions: 2, minutes: 175 },
      { date: '2025-10-22', sessions: 1, minutes: 180 },
      { date: '2025-10-23', sessions: 0, minutes: 0 },
      { date: '2025-10-24', sessions: 1, minutes: 60 },
    ]);
    expect(data.scores.map((s: { score: number }) => s.score)).toEqual([7, 8, 9]);
    expect(data.file).toBeNull(); // --json alone writes no HTML
    expect(data.sessions.map((s: { checkpoints: unknown[] }) => s.checkpoints.length)).toEqual([1, 1, 2, 1]);
    const paths = data.top_files.map((f: { path: string }) => f.path);
    expect(data.top_files[0]).toEqual({ path: 'src/auth.js', sessions: 3, checkpoints: 3 });
    expect(paths).toEqual(expect.arrayContaining(['src/late.js', 'src/api.js']));
    expect(paths.filter((p: string) => p.startsWith('04-agents/') || p === 'TRACKING.md')).toEqual([]);
    expect(data.sessions[0].modified).toContain('TRACKING.md'); // the record itself is shown as it is

    const since = JSON.parse((await ok(['report', '--json', '--since', '2025-10-22'], o)).stdout);
    expect(since.sessions).toHaveLength(2);
    expect(since.per_day.map((d: { date: string }) => d.date)).toEqual(['2025-10-22', '2025-10-23', '2025-10-24']);
    const bad = await runCli(['report', '--since', 'yesterday'], o);
    expect(bad.code).toBe(5);
    expect(oneLineError(bad)).toMatch(/since must be a date YYYY-MM-DD/);
  });
});

describe('specmap report: where the page goes', () => {
  it('by default into 04-agents/reports/, git-ignored and never in a checkpoint', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env, now: '2025-10-25T09:00:00' };
    await ok(['start', 'auth'], o);
    repo.commitAll('session');
    const r = JSON.parse((await ok(['report', '--json', '--out', '04-agents/reports/'], o)).stdout);
    expect(r.file).toBe(join(repo.dir, REPORT));
    const plain = await ok(['report'], { ...o, cwd: join(repo.dir, 'src') });
    expect(plain.stdout).toContain(join(repo.dir, REPORT));
    expect(readFileSync(join(repo.dir, REPORT), 'utf8')).toContain('<h1>specmap report</h1>');
    expect(repo.git('check-ignore', REPORT)).toBe(REPORT);
    expect(repo.git('status', '--porcelain')).toBe(''); // .gitignore already had the line: start added it
    const cp = JSON.parse((await ok(['checkpoint', '@', 'x', '--allow-empty', '--json'], o)).stdout);
    expect(repo.git('ls-tree', '-r', '--name-only', cp.commit).split('\n').filter((f) => f.startsWith('04-agents/reports'))).toEqual([]);
  });

  it('a project without .gitignore gets the line the first time the report goes to its default place', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    expect(existsSync(join(repo.dir, '.gitignore'))).toBe(false);
    await ok(['report'], o);
    expect(readFileSync(join(repo.dir, '.gitignore'), 'utf8')).toMatch(/^\/04-agents\/reports\/$/m);
    expect(repo.git('status', '--porcelain', '--untracked-files=all')).toBe('?? .gitignore');
  });

  it('init adds the reports line to a .gitignore that has only the backups one, once; a form of its own is kept', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    repo.write('.gitignore', 'node_modules/\n# specmap: ZIP backups stay out of git history\n/04-agents/backups/\n');
    expect(JSON.parse((await ok(['init', '--json'], o)).stdout).gitignore_updated).toBe(true);
    const after = readFileSync(join(repo.dir, '.gitignore'), 'utf8');
    expect(after).toBe('node_modules/\n# specmap: ZIP backups stay out of git history\n/04-agents/backups/\n# specmap: generated reports stay out of git history\n/04-agents/reports/\n');
    expect(JSON.parse((await ok(['init', '--json'], o)).stdout).gitignore_updated).toBe(false);
    await ok(['report'], o);
    expect(readFileSync(join(repo.dir, '.gitignore'), 'utf8')).toBe(after);

    const own = makeRepo();
    own.write('.gitignore', '04-agents/backups\n04-agents/reports/*\n');
    await ok(['report'], { cwd: own.dir, env: own.env });
    expect(readFileSync(join(own.dir, '.gitignore'), 'utf8')).toBe('04-agents/backups\n04-agents/reports/*\n');
  });

  it('--out creates missing folders; a folder (or a path ending in /) gets report.html', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    const outside = scratch();
    const file = (args: string[], cwd = repo.dir) => ok([...args, '--json'], { ...o, cwd }).then((r) => JSON.parse(r.stdout).file as string);
    expect(await file(['report', '--out', 'new/deeper/r.html'])).toBe(join(repo.dir, 'new/deeper/r.html'));
    expect(await file(['report', '--out', join(outside, 'a', 'b') + '/'])).toBe(join(outside, 'a/b/report.html'));
    expect(await file(['report', '--out', '.'], join(repo.dir, 'src'))).toBe(join(repo.dir, 'src/report.html'));
    for (const f of ['new/deeper/r.html', 'src/report.html']) expect(statSync(join(repo.dir, f)).size).toBeGreaterThan(1000);
    expect(statSync(join(outside, 'a/b/report.html')).size).toBeGreaterThan(1000);

    repo.write('afile', 'x\n');
    for (const [out, code, message] of [['afile/r.html', 5, /cannot write the report into .*afile: .*afile is a file, not a folder/], ['.git/r.html', 5, /inside \.git/]] as const) {
      const r = await runCli(['report', '--out', out], o);
      expect(r.code, out).toBe(code);
      expect(oneLineError(r)).toMatch(message);
    }
    expect(existsSync(join(repo.dir, '.git/r.html'))).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The page in a real browser, at a desktop's width and a phone's.

interface ChartFacts {
  id: string;
  axisTitles: string[];
  yTicks: string[];
  /** Text elements drawn (not hidden) that reach outside their chart. */
  overflowing: string[];
  /** Pairs of x tick labels drawn on top of each other. */
  overlapping: string[];
  /** The smallest drawn text height (px). */
  minTextHeight: number;
}

/** Measures every chart as drawn: what a person would see cut off, crowded or too small. */
function chartFacts(page: Page): Promise<ChartFacts[]> {
  return page.evaluate(() => [...document.querySelectorAll('svg')].map((svg) => {
    const box = svg.getBoundingClientRect();
    const drawn = [...svg.querySelectorAll('text')].map((t) => ({ t, r: t.getBoundingClientRect() })).filter(({ r }) => r.width > 0);
    const out = drawn.filter(({ r }) => r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5);
    const ticks = drawn.filter(({ t }) => t.classList.contains('x-tick'));
    const overlapping: string[] = [];
    ticks.forEach((a, i) => ticks.slice(i + 1).forEach((b) => {
      if (a.r.left < b.r.right && b.r.left < a.r.right && a.r.top < b.r.bottom && b.r.top < a.r.bottom) overlapping.push(`${a.t.textContent} / ${b.t.textContent}`);
    }));
    return {
      id: svg.id,
      axisTitles: [...svg.querySelectorAll('text.axis-label')].map((t) => t.textContent ?? ''),
      yTicks: drawn.filter(({ t }) => t.classList.contains('y-tick')).map(({ t }) => t.textContent ?? ''),
      overflowing: out.map(({ t, r }) => `${t.textContent} (${Math.round(r.left)}–${Math.round(r.right)} in ${Math.round(box.left)}–${Math.round(box.right)})`),
      overlapping,
      minTextHeight: Math.min(...drawn.map(({ r }) => r.height)),
    };
  }));
}

/** A screenshot decoded by the browser itself: its size and how many different colours it has. */
async function decodePng(page: Page, png: Buffer): Promise<{ width: number; height: number; colours: number }> {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    const colours = new Set<number>();
    for (let i = 0; i < px.length; i += 4 * 7) colours.add((px[i]! << 16) | (px[i + 1]! << 8) | px[i + 2]!);
    return { width: img.naturalWidth, height: img.naturalHeight, colours: colours.size };
  }, png.toString('base64'));
}

describe('specmap report: the page in headless Chromium', () => {
  let browser: Browser;
  let shots: string;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    shots = scratch('specmap-report-shots-');
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Opens `file` at `width` px with every drill-down open; fails on any request that is not the file itself. */
  async function open(file: string, width: number): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    expect(requests).toEqual([pathToFileURL(file).href]);
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    return page;
  }

  async function screenshot(page: Page, name: string, width: number, minColours: number): Promise<Buffer> {
    const path = join(shots, `${name}-${width}.png`);
    await page.screenshot({ path, fullPage: true });
    const png = readFileSync(path);
    expect(png.subarray(0, 8).toString('latin1')).toBe('\x89PNG\r\n\x1a\n');
    const decoded = await decodePng(page, png);
    expect(decoded.width).toBe(width); // a full-page shot is as wide as the page: nothing sticks out to the right
    expect(decoded.height).toBeGreaterThan(300);
    expect(decoded.colours).toBeGreaterThanOrEqual(minColours); // drawn, not one flat colour
    return png;
  }

  it('draws a history of several days at 1280 and 420 px: labelled axes, whole ticks, nothing cut off, Markdown summaries', { timeout: 120_000 }, async () => {
    const { repo, o } = await history();
    await ok(['report'], o);
    const file = join(repo.dir, REPORT);
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(|src=/i); // nothing to run, nothing fetched
    expect(html).toContain('&lt;script&gt;document.title');

    const pngs: Buffer[] = [];
    for (const width of [1280, 420]) {
      const page = await open(file, width);
      try {
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), `${width}px`).toBeLessThanOrEqual(0);
        expect(await page.title()).toBe(`specmap report — ${repo.dir.split('/').pop()}`); // the summary's script did not run

        const charts = await chartFacts(page);
        expect(charts.map((c) => c.id)).toEqual(['sessions-per-day', 'minutes-per-day', 'scores', 'files', 'timeline']);
        for (const c of charts) {
          expect(c.axisTitles, `${c.id} at ${width}px`).toHaveLength(2);
          expect(c.axisTitles.every((t) => t.length > 3)).toBe(true);
          expect(c.overflowing, `${c.id} at ${width}px`).toEqual([]);
          expect(c.overlapping, `${c.id} at ${width}px`).toEqual([]);
          expect(c.minTextHeight, `${c.id} at ${width}px`).toBeGreaterThanOrEqual(10); // text is not scaled down to a speck
          if (c.id !== 'timeline') {
            expect(c.yTicks.length, c.id).toBeGreaterThanOrEqual(2);
            for (const t of c.yTicks) expect(t, `${c.id} tick`).toMatch(/^\d+$/);
          }
        }
        expect(charts.find((c) => c.id === 'sessions-per-day')!.yTicks).toEqual(['0', '1', '2']);
        expect(charts.find((c) => c.id === 'sessions-per-day')!.axisTitles).toEqual(['sessions', 'date (2025)']);

        // The day without a session is there: a bar of its own (a flat one) and its date on the axis.
        const days = page.locator('#sessions-per-day rect.bar');
        expect(await days.count()).toBe(4);
        expect(await days.nth(2).getAttribute('class')).toBe('bar zero');
        expect(await days.nth(2).locator('title').textContent()).toBe('2025-10-23: no sessions');
        expect(await page.locator('#sessions-per-day text.x-tick').allTextContents()).toEqual(['10-21', '10-22', '10-23', '10-24']);
        const heights = await days.evaluateAll((els) => els.map((e) => (e as SVGGraphicsElement).getBBox().height));
        expect(heights[0]!).toBeGreaterThan(heights[1]!);
        expect(heights[1]!).toBeGreaterThan(heights[2]!);

        expect(await page.locator('#scores circle.score').count()).toBe(3);
        expect(await page.locator('#files rect.created').count()).toBe(4);
        expect(await page.locator('#timeline circle.checkpoint').count()).toBe(5);
        // Timeline labels: the long focus is cut between words, the full text is the row's tooltip; 24:00 is drawn whole.
        const rows = await page.locator('#timeline g.row').evaluateAll((gs) => gs.map((g) => ({
          label: g.querySelector('text')!.textContent!, full: g.querySelector('title')!.textContent!,
        })));
        expect(rows).toHaveLength(4);
        const cut = rows.filter((r) => r.label.endsWith('…'));
        expect(cut.map((r) => r.full)).toEqual([expect.stringContaining(LONG_FOCUS)]);
        for (const r of cut) {
          const head = r.label.slice(0, -1).replace(/^\d\d-\d\d /, '');
          const rest = r.full.slice(r.full.indexOf(head) + head.length);
          expect(r.full).toContain(head);
          expect(rest).toMatch(/^ /); // the next character is a space: no word was split
        }
        expect(await page.locator('#timeline text.x-tick').allTextContents()).toEqual(['00:00', '06:00', '12:00', '18:00', '24:00']);

        // Most-touched files: the project's, not specmap's records.
        const files = await page.locator('#top-files tbody tr td:first-child').allTextContents();
        expect(files[0]).toBe('src/auth.js');
        expect(files.filter((f) => f.startsWith('04-agents/') || f === 'TRACKING.md')).toEqual([]);

        // The first session's summary, rendered from Markdown; its HTML stayed text and its javascript: link is no link.
        const md = page.locator(`#session-${S1} .markdown`);
        expect(await md.locator('h3').textContent()).toBe(`Session summary: ${S1}`);
        expect(await md.locator('h4').textContent()).toBe('What was done');
        expect(await md.locator('ul > li > strong').textContent()).toBe('login');
        expect(await md.locator('ul > li > code').first().textContent()).toBe('bcrypt');
        expect(await md.locator('ul ul a').getAttribute('href')).toBe('https://example.com/auth?x=1&y=2');
        expect(await md.locator('a').count()).toBe(1);
        expect(await md.locator('script').count()).toBe(0);
        expect(await md.textContent()).toContain("<script>document.title = 'owned'</script>");
        // A summary nobody filled in (the template's empty items) shows its headings and no empty bullets.
        expect(await page.locator(`#session-${S2} .markdown li`).allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Focus')]));
        expect((await page.locator(`#session-${S2} .markdown li`).allTextContents()).filter((t) => t.trim() === '')).toEqual([]);

        pngs.push(await screenshot(page, 'history', width, 12));
      } finally {
        await page.close();
      }
    }
    expect(pngs[0]!.equals(pngs[1]!)).toBe(false);
  });

  it('an empty project gets one message, not five empty charts, at 1280 and 420 px', { timeout: 60_000 }, async () => {
    const repo = makeRepo();
    await ok(['report'], { cwd: repo.dir, env: repo.env });
    const file = join(repo.dir, REPORT);
    for (const width of [1280, 420]) {
      const page = await open(file, width);
      try {
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
        await expect.poll(() => page.locator('#empty-state').isVisible()).toBe(true);
        expect(await page.locator('#empty-state h2').textContent()).toBe('No sessions yet.');
        expect(await page.locator('#empty-state').textContent()).toContain('specmap start');
        expect(await page.locator('svg, figure, table, details').count()).toBe(0);
        await screenshot(page, 'empty', width, 3);
      } finally {
        await page.close();
      }
    }
  });
});
