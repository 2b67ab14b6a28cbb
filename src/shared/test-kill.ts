/** A deterministic crash point for tests: SIGKILLs this process at `step` when SPECMAP_TEST_KILL_AT names it. */
export function killPoint(step: string): void { if (process.env.SPECMAP_TEST_KILL_AT === step) process.kill(process.pid, 'SIGKILL'); }
