import { settings } from './settings.js';

/**
 * A named step of a multi-step write (`daily:exported`, `milestone:tag-moved`, …). With SPECMAP_TEST_KILL_AT set to
 * its name the process kills itself there with SIGKILL, as a crash or `kill -9` would: crash tests reach every
 * intermediate state deterministically, never by timing. Unset (always, outside tests), it does nothing.
 */
export function killPoint(step: string): void {
  if (settings().testKillAt === step) process.kill(process.pid, 'SIGKILL');
}
