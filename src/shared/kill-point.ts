import { appendFileSync } from 'node:fs';
import { settings } from './settings.js';

/**
 * A named step of a multi-step write (`daily:exported`, `milestone:tag-moved`, …). With SPECMAP_TEST_KILL_AT set to
 * its name the process kills itself there with SIGKILL, as a crash or `kill -9` would: crash tests reach every
 * intermediate state deterministically, never by timing. Unset (always, outside tests), it does nothing.
 */
export function killPoint(step: string): void {
  if (settings().testKillAt === step) process.kill(process.pid, 'SIGKILL');
}

let steps = 0;

/**
 * One numbered step of this process (a git call about to run or just done, a rename about to happen or just
 * done). With SPECMAP_TEST_KILL_STEP=<n> the process SIGKILLs itself at the n-th; SPECMAP_TEST_STEPS_FILE lists
 * them all, so a test can count an operation's steps and then kill it at each. Outside tests it costs a check.
 */
export function step(what: string): void {
  const s = settings();
  if (s.testKillStep === undefined && s.testStepsFile === undefined) return;
  steps += 1;
  if (s.testStepsFile) appendFileSync(s.testStepsFile, `${steps} ${what}\n`);
  if (s.testKillStep === steps) process.kill(process.pid, 'SIGKILL');
}
