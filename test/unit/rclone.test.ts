import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkedSizesOnly, parseCombined, parseHashsum, parseLsjson, remoteJoin } from '../../src/storage/rclone/commands.js';
import { checkRcloneArgs, rcloneReason } from '../../src/storage/rclone/run.js';
import { remoteBackups } from '../../src/domain/backup/offsite/layout.js';

// Output captured from rclone v1.60.1 (Debian 12's package): lsjson and hashsum of a local folder, check against
// `rclone serve webdav` (a remote with no hash in common with local files), and a remote missing from the config.
const fixture = (name: string) => readFileSync(new URL(`../fixtures/rclone/${name}`, import.meta.url), 'utf8');

describe('rclone output parsers', () => {
  it('reads lsjson files with their sizes', () => {
    expect(parseLsjson(fixture('lsjson.json'))).toEqual([
      { path: 'sessions/a-backup.zip', size: 2 },
      { path: 'daily/2025-10-25/backup.zip', size: 9 },
      { path: 'daily/2025-10-25/manifest.json', size: 3 },
    ]);
    expect(parseLsjson('')).toEqual([]);
    expect(() => parseLsjson('not json')).toThrow(/not JSON/);
  });

  it('reads hashsum lines', () => {
    expect([...parseHashsum(fixture('hashsum.txt'))]).toEqual([
      ['daily/2025-10-25/backup.zip', 'b2a8260581a60b25065e8007c9aeda2e568f5023134b9a18bf1d4f750cae8a40'],
      ['sessions/a-backup.zip', 'cbc80bb5c0c0f8944bf73b3a429505ac5cde16644978bc9a1e74c5755f8ca556'],
    ]);
    expect(parseHashsum('UNSUPPORTED  sessions/a.zip\n').size).toBe(0);
  });

  it('reads check --combined lines and sees a sizes-only check', () => {
    expect(parseCombined(fixture('check-webdav.combined'))).toEqual([
      { mark: '=', path: 'sessions/a-backup.zip' },
      { mark: '+', path: 'daily/2025-10-25/manifest.json' },
      { mark: '*', path: 'daily/2025-10-25/backup.zip' },
    ]);
    expect(checkedSizesOnly(fixture('check-webdav.stderr'))).toBe(true);
    expect(checkedSizesOnly('2026/12/02 05:18:23 NOTICE: Local file system at /x: 0 differences found\n')).toBe(false);
  });

  it("takes the line that says why rclone failed, without its time", () => {
    expect(rcloneReason(fixture('no-remote.stderr'))).toBe('Failed to create file system for "nosuch:x": didn\'t find section in config file');
    expect(rcloneReason(fixture('check-webdav.stderr'))).toBe('Failed to check with 2 errors: last error was: 2 differences found');
    expect(rcloneReason('2026/12/02 05:18:23 ERROR : a.zip: sizes differ\n2026/12/02 05:18:23 NOTICE: 1 differences found\n')).toBe('ERROR : a.zip: sizes differ');
  });

  it('joins remote paths as rclone reads them', () => {
    expect(remoteJoin('dav:proj', 'daily/x')).toBe('dav:proj/daily/x');
    expect(remoteJoin('dav:', 'daily/x')).toBe('dav:daily/x');
    expect(remoteJoin('/srv/backups/', 'a')).toBe('/srv/backups/a');
  });
});

describe('rclone calls', () => {
  it('never runs a command or a flag that deletes on a remote', () => {
    for (const sub of ['delete', 'purge', 'sync', 'move', 'moveto', 'rmdir', 'rmdirs', 'deletefile', 'cleanup', 'dedupe', 'bisync']) {
      expect(() => checkRcloneArgs([sub, 'dav:x'])).toThrow(/never deletes/);
    }
    expect(() => checkRcloneArgs(['copy', 'a', 'dav:x'])).toThrow(/could overwrite/);
    expect(() => checkRcloneArgs(['copy', '--backup-dir', 'dav:r', '--delete-excluded', 'a', 'dav:x'])).toThrow(/deletes/);
    expect(() => checkRcloneArgs(['copy', '--backup-dir', 'dav:r', 'a', 'dav:x'])).not.toThrow();
    expect(() => checkRcloneArgs(['copy', '--ignore-existing', 'dav:x', '/tmp/in'])).not.toThrow();
    expect(() => checkRcloneArgs(['lsjson', 'dav:x'])).not.toThrow();
  });
});

describe('the off-site layout', () => {
  it("finds specmap's backups in a listing and leaves everything else alone", () => {
    const found = remoteBackups([
      { path: 'sessions/2025-10-25-session-001-auth-backup.zip', size: 10 },
      { path: 'sessions/2025-10-25-session-001-auth-backup.manifest.json', size: 1 },
      { path: 'sessions/2025-10-25-session-001-auth-backup.zip.sha256', size: 1 },
      { path: 'daily/2025-10-25/backup.zip', size: 20 },
      { path: 'daily/2025-10-25/manifest.json', size: 1 },
      { path: 'daily/not-a-date/backup.zip', size: 1 },
      { path: 'milestones/v1.0-release.zip', size: 30 },
      { path: 'milestones/v1.0-release.manifest.json', size: 1 },
      { path: 'milestones/..zip', size: 1 },
      { path: 'sessions/.hidden-backup.zip', size: 1 },
      { path: 'sessions/notes.txt', size: 1 },
    ]);
    expect([...found.keys()]).toEqual(['session/2025-10-25-session-001-auth', 'daily/2025-10-25', 'milestone/v1.0-release']);
    expect(found.get('milestone/v1.0-release')).toMatchObject({ zipBytes: 30, files: { zip: 'milestones/v1.0-release.zip', manifest: 'milestones/v1.0-release.manifest.json' } });
    expect([...found.get('session/2025-10-25-session-001-auth')!.present].length).toBe(3);
  });
});
