/** The lines every dry run's text output ends with: what the real run would settle first, and that nothing changed. */
export function dryRunNote(r: { dry_run?: true; queued_work?: string[] }): string[] {
  if (!r.dry_run) return [];
  return [...(r.queued_work ?? []).map((q) => `⏳ First: ${q}`), '🔍 Dry run: nothing was changed.'];
}
