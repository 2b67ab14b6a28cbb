import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { SpecmapError } from '../../shared/errors.js';
import { abs, sessionRelDir } from '../../shared/layout.js';
import { projectConfig } from '../project/config.js';
import type { Project } from '../project/project.js';
import { compileRules, redactJsonl } from './redact.js';
import type { SessionHandle } from '../session/store.js';
import { writeFileAtomic } from '../../storage/fs/atomic-write.js';
import { showFile } from '../../storage/git/remote.js';

/** Where a session keeps its agent's transcript: inside the workspace, so checkpoints and the ZIP carry it. */
export const TRANSCRIPT_FILE = 'transcripts/transcript.jsonl';
const MAX_TRANSCRIPT_BYTES = 64 * 1024 * 1024;

/** Copies the agent's transcript into the session, with secrets redacted (config.yaml's redact patterns too). Lock held. */
export function storeTranscript(project: Project, h: SessionHandle, transcriptPath: string): string | undefined {
  if (!isAbsolute(transcriptPath) || !existsSync(transcriptPath)) return undefined;
  const st = statSync(transcriptPath);
  if (!st.isFile() || st.size > MAX_TRANSCRIPT_BYTES) return undefined;
  const rules = compileRules(projectConfig(project).redactPatterns);
  mkdirSync(abs(h.dir, 'transcripts'), { recursive: true });
  writeFileAtomic(abs(h.dir, TRANSCRIPT_FILE), redactJsonl(readFileSync(transcriptPath, 'utf8'), rules));
  return `${h.relDir}/${TRANSCRIPT_FILE}`;
}

/** The user's prompts in a Claude Code JSONL transcript (tool results and meta entries left out). */
export function userPrompts(jsonl: string): string[] {
  const prompts: string[] = [];
  for (const line of jsonl.split('\n')) {
    if (!line.trim()) continue;
    let entry: { type?: string; isMeta?: boolean; message?: { role?: string; content?: unknown } };
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if (entry.type !== 'user' || entry.isMeta || entry.message?.role !== 'user') continue;
    const c = entry.message.content;
    const text = typeof c === 'string'
      ? c
      : Array.isArray(c) ? c.filter((b) => b && b.type === 'text' && typeof b.text === 'string').map((b) => b.text as string).join('\n') : '';
    if (text.trim()) prompts.push(text.trim());
  }
  return prompts;
}

/** The transcript as it was stored in a checkpoint's commit, or undefined when that checkpoint has none. */
export async function transcriptAt(project: Project, sessionId: string, commit: string): Promise<string | undefined> {
  return showFile(project.git, commit, `${sessionRelDir('active', sessionId)}/${TRANSCRIPT_FILE}`);
}

/** The prompts that led to a checkpoint: those in its transcript that were not in the previous checkpoint's. */
export async function promptsForCheckpoint(project: Project, sessionId: string, commit: string, previous?: string): Promise<string[]> {
  const now = await transcriptAt(project, sessionId, commit);
  if (now === undefined) throw new SpecmapError('NOTHING_TO_DO', `no agent transcript was stored with this checkpoint`);
  const before = previous ? await transcriptAt(project, sessionId, previous) : undefined;
  const all = userPrompts(now);
  return all.slice(before ? userPrompts(before).length : 0);
}
