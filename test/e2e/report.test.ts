import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { makeRepo, scratch } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';

/** Three sessions on two days: scores, checkpoints, created and modified files. */
async function history() {
  const repo = makeRepo();
  const o = { cwd: repo.dir, env: repo.env };
  const day = (d: string, t: string) => ({ ...o, now: `${d}T${t}` });
  await ok(['start', 'auth'], day('2025-10-24', '09:00:00'));
  repo.write('src/auth.js', 'a\n');
  await ok(['track', '@', 'src/auth.js', 'created'], o);
  await ok(['checkpoint', '@', 'Auth skeleton', 'src/auth.js'], day('2025-10-24', '09:30:00'));
  await ok(['end', '@', '7'], day('2025-10-24', '10:00:00'));
  await ok(['start', 'api <design> & "quotes"'], day('2025-10-25', '09:00:00'));
  repo.write('src/auth.js', 'b\n');
  await ok(['track', '@', 'src/auth.js', 'modified'], o);
  await ok(['track', '@', 'src/main.js', 'modified'], o);
  await ok(['checkpoint', '@', 'API draft', 'src/auth.js'], day('2025-10-25', '10:00:00'));
  await ok(['checkpoint', '@', 'API final', 'src/main.js', '--allow-empty'], day('2025-10-25', '11:00:00'));
  await ok(['end', '@', '9'], day('2025-10-25', '12:00:00'));
  await ok(['start', 'qa'], day('2025-10-25', '13:00:00'));
  return { repo, o };
}

describe('specmap report', () => {
  it('gives the figures as JSON', async () => {
    const { o } = await history();
    const data = JSON.parse((await ok(['report', '--json'], o)).stdout);
    expect(data.per_day).toEqual([{ date: '2025-10-24', sessions: 1, minutes: 60 }, { date: '2025-10-25', sessions: 2, minutes: 180 }]);
    expect(data.scores.map((s: { score: number }) => s.score)).toEqual([7, 9]);
    expect(data.file).toBeNull(); // --json alone writes no HTML
    expect(data.top_files[0]).toEqual({ path: 'src/auth.js', sessions: 2, checkpoints: 2 });
    expect(data.sessions.map((s: { checkpoints: unknown[] }) => s.checkpoints.length)).toEqual([1, 2, 0]);
    const since = JSON.parse((await ok(['report', '--json', '--since', '2025-10-25'], o)).stdout);
    expect(since.sessions).toHaveLength(2);
    const bad = await runCli(['report', '--since', 'yesterday'], o);
    expect(bad.code).toBe(5);
    expect(oneLineError(bad)).toMatch(/since must be a date YYYY-MM-DD/);
  });

  it('renders a self-contained page that a real browser draws, charts and drill-down included', { timeout: 60_000 }, async () => {
    const { repo, o } = await history();
    const out = join(repo.dir, '..', 'report.html');
    await ok(['report', '--out', out], o);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toMatch(/<script[^>]*src=|<link[^>]*href=|@import|https?:\/\//); // nothing fetched at view time
    expect(html).toContain('api &lt;design&gt; &amp; &quot;quotes&quot;');

    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ viewport: { width: 900, height: 1400 } });
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(out).href);
      expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
      expect(await page.locator('#total-sessions').textContent()).toBe('3');
      expect(await page.locator('#sessions-per-day rect.bar').count()).toBe(2);
      expect(await page.locator('#scores circle.score').count()).toBe(2);
      expect(await page.locator('#files rect.created').count()).toBe(3);
      expect(await page.locator('#timeline circle.checkpoint').count()).toBe(3);
      expect(await page.locator('#top-files tbody tr').first().locator('code').textContent()).toBe('src/auth.js');
      // Bars are really drawn: the taller day has the taller bar.
      const heights = await page.locator('#sessions-per-day rect.bar').evaluateAll((els) => els.map((e) => (e as SVGGraphicsElement).getBBox().height));
      expect(heights[1]!).toBeGreaterThan(heights[0]!);
      // Drill-down opens and shows the session's checkpoints.
      const details = page.locator('details.session').nth(1);
      await details.locator('summary').click();
      await expect.poll(() => details.locator('ol li').count()).toBe(2);
      expect(await details.locator('ol li').first().textContent()).toContain('API draft');
      const shot = join(scratch(), 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(existsSync(shot)).toBe(true);
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    } finally {
      await browser.close();
    }
  });
});
