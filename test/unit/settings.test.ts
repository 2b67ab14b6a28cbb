import { describe, expect, it } from 'vitest';
import { settings, settingsFrom } from '../../src/shared/settings.js';

describe('settingsFrom', () => {
  it('has defaults for an empty environment', () => {
    expect(settingsFrom({})).toEqual({
      now: undefined,
      lockTimeoutMs: 15_000,
      hookLockWaitMs: 1_000,
      zipInMemoryMax: undefined,
      session: undefined,
      focus: undefined,
      allowBackupCommit: false,
      background: true,
      debug: false,
      agentProjectDir: undefined,
      ci: false,
      noColor: false,
    });
  });

  it('reads every variable', () => {
    const s = settingsFrom({
      SPECMAP_NOW: '2025-10-25T10:00:00Z',
      SPECMAP_LOCK_TIMEOUT_MS: '250',
      SPECMAP_HOOK_LOCK_WAIT_MS: '50',
      SPECMAP_ZIP_IN_MEMORY_MAX: '0',
      SPECMAP_SESSION: '2025-10-25-session-001-auth',
      SPECMAP_FOCUS: 'auth',
      SPECMAP_ALLOW: '1',
      SPECMAP_BACKGROUND: '0',
      SPECMAP_DEBUG: '1',
      CI: 'true',
      NO_COLOR: '1',
    });
    expect(s.now?.toISOString()).toBe('2025-10-25T10:00:00.000Z');
    expect(s).toMatchObject({
      lockTimeoutMs: 250, hookLockWaitMs: 50, zipInMemoryMax: 0, session: '2025-10-25-session-001-auth', focus: 'auth',
      allowBackupCommit: true, background: false, debug: true, ci: true, noColor: true,
    });
  });

  it('ignores values it cannot use rather than failing', () => {
    const s = settingsFrom({ SPECMAP_NOW: 'not a date', SPECMAP_LOCK_TIMEOUT_MS: '-5', SPECMAP_ZIP_IN_MEMORY_MAX: 'lots', SPECMAP_SESSION: '', SPECMAP_ALLOW: 'yes' });
    expect(s).toMatchObject({ now: undefined, lockTimeoutMs: 15_000, zipInMemoryMax: undefined, session: undefined, allowBackupCommit: false });
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
