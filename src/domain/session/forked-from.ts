import type { SessionDoc } from './session-file.js';

/** What session.yaml records under `forked_from` for a session `specmap fork` started. */
export interface ForkedFrom {
  session: string;
  checkpoint: string;
  commit: string;
}

/** The `forked_from` of a session.yaml, when it has a well-formed one. */
export function forkedFromOf(doc: SessionDoc): ForkedFrom | undefined {
  const f = doc.forked_from as Record<string, unknown> | undefined;
  if (!f || typeof f !== 'object' || typeof f.session !== 'string' || typeof f.checkpoint !== 'string') return undefined;
  return { session: f.session, checkpoint: f.checkpoint, commit: typeof f.commit === 'string' ? f.commit : '' };
}
