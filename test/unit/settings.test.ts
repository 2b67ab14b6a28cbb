import { describe, expect, it } from 'vitest';
import { settings, settingsFrom } from '../../src/shared/settings.js';
import { SpecmapError } from '../../src/shared/errors.js';

describe('settingsFrom', () => {
  it('has defaults for an empty environment', () => {
    expect(settingsFrom({})).toEqual({
      now: undefined,
      lockTimeoutMs: 15_000,
      hookLockWaitMs: 1_000,
      progressAfterMs: 300,
      zipInMemoryMax: undefined,
      session: undefined,
      focus: undefined,
      allowBackupCommit: false,
      background: true,
      debug: false,
      agentProjectDir: undefined,
      mcpAllowPaths: [],
      rclone: 'rclone',
      ci: false,
      noColor: false,
    });
  });

  it('reads every variable', () => {
    const s = settingsFrom({
      SPECMAP_NOW: '2025-10-25T10:00:00Z',
      SPECMAP_LOCK_TIMEOUT_MS: '250',
      SPECMAP_HOOK_LOCK_WAIT_MS: '50',
      SPECMAP_PROGRESS_AFTER_MS: '0',
      SPECMAP_ZIP_IN_MEMORY_MAX: '0',
      SPECMAP_SESSION: '2025-10-25-session-001-auth',
      SPECMAP_FOCUS: 'auth',
      SPECMAP_ALLOW: '1',
      SPECMAP_BACKGROUND: '0',
      SPECMAP_DEBUG: '1',
      SPECMAP_RCLONE: '/opt/rclone/bin/rclone',
      CI: 'true',
      NO_COLOR: '1',
    });
    expect(s.now?.toISOString()).toBe('2025-10-25T10:00:00.000Z');
    expect(s).toMatchObject({
      rclone: '/opt/rclone/bin/rclone', lockTimeoutMs: 250, hookLockWaitMs: 50, progressAfterMs: 0, zipInMemoryMax: 0, session: '2025-10-25-session-001-auth', focus: 'auth',
      allowBackupCommit: true, background: false, debug: true, ci: true, noColor: true,
    });
  });

  it('leaves unset and empty variables at their defaults', () => {
    const s = settingsFrom({ SPECMAP_NOW: '', SPECMAP_LOCK_TIMEOUT_MS: '', SPECMAP_SESSION: '', SPECMAP_ALLOW: 'yes' });
    expect(s).toMatchObject({ now: undefined, lockTimeoutMs: 15_000, session: undefined, allowBackupCommit: false });
  });

  it.each([
    ['SPECMAP_NOW', 'not a date'],
    ['SPECMAP_NOW', '1'],
    ['SPECMAP_NOW', '2025-13-45T10:00:00'],
    ['SPECMAP_NOW', 'yesterday'],
    ['SPECMAP_LOCK_TIMEOUT_MS', '-5'],
    ['SPECMAP_LOCK_TIMEOUT_MS', '15s'],
    ['SPECMAP_LOCK_TIMEOUT_MS', '1e3'],
    ['SPECMAP_LOCK_TIMEOUT_MS', '1.5'],
    ['SPECMAP_LOCK_TIMEOUT_MS', 'Infinity'],
    ['SPECMAP_HOOK_LOCK_WAIT_MS', 'NaN'],
    ['SPECMAP_ZIP_IN_MEMORY_MAX', 'lots'],
    ['SPECMAP_ZIP_IN_MEMORY_MAX', '99999999999999999999'],
  ])('refuses %s=%j as a usage error naming the variable', (name, value) => {
    let err: unknown;
    try {
      settingsFrom({ [name]: value });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SpecmapError);
    expect((err as SpecmapError).code).toBe('USAGE');
    expect((err as SpecmapError).exitCode).toBe(2);
    expect((err as SpecmapError).message).toMatch(new RegExp(`^${name} must be `));
    expect((err as SpecmapError).message).toContain(JSON.stringify(value));
  });

  it('reads a time without an offset as local time', () => {
    expect(settingsFrom({ SPECMAP_NOW: '2025-10-25T10:00:00' }).now?.getHours()).toBe(10);
  });
});

describe('settings()', () => {
  it('follows changes to process.env in a long-lived process', () => {
    const before = process.env.SPECMAP_FOCUS;
    try {
      process.env.SPECMAP_FOCUS = 'one';
      expect(settings().focus).toBe('one');
      expect(settings()).toBe(settings());
      process.env.SPECMAP_FOCUS = 'two';
      expect(settings().focus).toBe('two');
    } finally {
      if (before === undefined) delete process.env.SPECMAP_FOCUS;
      else process.env.SPECMAP_FOCUS = before;
    }
  });
});
