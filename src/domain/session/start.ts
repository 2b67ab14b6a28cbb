import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { now, localDate, localTime } from '../../shared/clock.js';
import { SpecmapError, isSpecmapError } from '../../shared/errors.js';
import { checkAgent, checkFocus, checkMetadata, formatSessionId, sessionNumberOn } from '../../shared/ids.js';
import { WORKSPACE_DIRS, abs, sessionRefName, sessionRelDir } from '../../shared/layout.js';
import { buildDir } from '../../storage/fs/replace-dir.js';
import type { Project } from '../project/project.js';
import { emptyBaseCommit } from './base-commit.js';
import { ensureLayout } from '../project/init.js';
import { fillPlaceholders, loadTemplate } from './templates.js';
import { dirname } from 'node:path';
import { cacheWrittenSession, renderSessionYaml, type SessionDoc } from './session-file.js';
import { parsedCachePath, sessionIdsOfAllWorktrees } from './store.js';
import { summaryTemplate, workspaceReadme } from './workspace-templates.js';
import { deleteRef, listRefs, updateRef } from '../../storage/git/refs.js';
import { headCommit, userIdentity } from '../../storage/git/objects.js';

export interface StartInput {
  focus: string;
  /** Defaults to "claude", as in the spec. */
  agent?: string;
  /** The spec's optional metadata dict. */
  metadata?: Record<string, string>;
  /** A template (04-agents/templates/<name>/ or a built-in one) whose files start the workspace. */
  template?: string;
  /** The commit to start from instead of HEAD: the tip of the session this one continues. */
  base?: string;
}

export interface StartOutcome {
  id: string;
  focus: string;
  agent: string;
  date: string;
  startTime: string;
  /** Project-relative workspace folder, with a trailing slash. */
  workspace: string;
  ref: string;
  baseCommit: string;
  /** True when the repository had no commits and an empty base commit was written for the session ref. */
  emptyBase: boolean;
  /** Layout folders created because the project had not been initialised. */
  initialized: string[];
  /** True when starting added specmap's line to .gitignore (the project had not been initialised). */
  gitignoreUpdated: boolean;
}

/** Checks start's input before anything is opened or locked; returns it normalised. */
export function checkStartInput(input: StartInput): Required<Omit<StartInput, 'template' | 'base'>> & { slug: string; template?: string; base?: string } {
  const { text: focus, slug } = checkFocus(input.focus);
  return { focus, slug, agent: checkAgent(input.agent ?? 'claude'), metadata: checkMetadata(input.metadata ?? {}), template: input.template, base: input.base };
}

/** Starts a session: numbered workspace folder, session.yaml, and the ref `refs/sessions/<id>` at HEAD. Lock held. */
export async function startSession(project: Project, input: StartInput): Promise<StartOutcome> {
  const { focus, slug, agent, metadata, template, base } = checkStartInput(input);
  const templateFiles = template !== undefined ? loadTemplate(project.root, template) : {};
  const layout = ensureLayout(project);
  const at = now();
  const date = localDate(at);
  const startTime = localTime(at);
  const user = await userIdentity(project.git);
  const { id, ref, baseCommit, emptyBase } = await claimSessionRef(project, date, slug, at, base);

  const doc = newSessionDoc({ id, date, startTime, focus, agent, user, ref, baseCommit }, Object.keys(metadata).length > 0 ? { metadata } : {});
  try {
    await createWorkspace(project, id, doc, templateFiles);
  } catch (err) {
    await deleteRef(project.git, ref, baseCommit).catch(() => {});
    throw err;
  }

  return {
    id, focus, agent, date, startTime,
    workspace: `${sessionRelDir('active', id)}/`,
    ref, baseCommit, emptyBase,
    initialized: layout.createdDirs,
    gitignoreUpdated: layout.gitignoreUpdated,
  };
}

/** How many taken numbers `start` steps over before it gives up. */
const START_ATTEMPTS = 20;

/**
 * The session.yaml of a session just started (by `start` or `fork`): active, nothing recorded yet; `extra` (its
 * metadata, where it was forked from) goes before the git section.
 */
export function newSessionDoc(
  s: { id: string; date: string; startTime: string; focus: string; agent: string; user: string | undefined; ref: string; baseCommit: string },
  extra: Partial<SessionDoc> = {},
): SessionDoc {
  return {
    session: { id: s.id, date: s.date, start_time: s.startTime, end_time: null, focus: s.focus, agent: s.agent, status: 'active', ...(s.user ? { user: s.user } : {}) },
    artifacts: { created: [], modified: [] },
    checkpoints: [],
    metrics: {},
    rulemap_score: null,
    ...extra,
    git: { ref: s.ref, base_commit: s.baseCommit },
  };
}

/**
 * Creates `refs/sessions/<id>` for the next free number of `date`, at HEAD (or an empty root commit when there is
 * none). The ref is created only if absent, a second guard beside the lock; a number taken anyway (a ref written
 * by something that does not hold our lock) moves on to the next one, a bounded number of times, so start never
 * spins on a ref it cannot see. `base` may be a function of the id, for a base commit that names its session (fork).
 */
export async function claimSessionRef(project: Project, date: string, slug: string, at: Date, base?: string | ((id: string) => Promise<string>)): Promise<{ id: string; ref: string; baseCommit: string; emptyBase: boolean }> {
  const head = base ?? (await headCommit(project.git));
  const first = (await highestNumberOn(project, date)) + 1;
  for (let number = first; number < first + START_ATTEMPTS; number++) {
    const id = formatSessionId(date, number, slug);
    const ref = sessionRefName(id);
    const baseCommit = typeof head === 'function' ? await head(id) : (head ?? (await emptyBaseCommit(project.git, id, at)));
    try {
      await updateRef(project.git, ref, baseCommit, undefined, `specmap start ${id}`);
      return { id, ref, baseCommit, emptyBase: head === undefined };
    } catch (err) {
      if (!isSpecmapError(err) || err.code !== 'CONFLICT') throw err;
    }
  }
  const [from, to] = [first, first + START_ATTEMPTS - 1].map((n) => String(n).padStart(3, '0'));
  throw new SpecmapError('CONFLICT', `no free session number for ${date}: the refs of sessions ${from} to ${to} could not be created (each was taken or locked by another git process)`);
}

/** Highest session number used on `date` by any session folder (active or archived, in any worktree) or session ref. */
export async function highestNumberOn(project: Project, date: string): Promise<number> {
  let max = 0;
  const consider = (name: string) => {
    const n = sessionNumberOn(date, name);
    if (n !== undefined && n > max) max = n;
  };
  (await sessionIdsOfAllWorktrees(project)).forEach(consider);
  // for-each-ref matches whole path components, so list the namespace and let sessionNumberOn pick the date.
  for (const { ref } of await listRefs(project.git, 'refs/sessions/')) consider(ref.slice('refs/sessions/'.length));
  // Sessions fetched from remotes count too, so clones that pull before starting do not collide.
  for (const { ref } of await listRefs(project.git, 'refs/remotes/')) {
    const m = /^refs\/remotes\/[^/]+\/(?:sessions|specmap\/meta)\/(.+)$/.exec(ref);
    if (m) consider(m[1]!);
  }
  return max;
}

/** Builds the workspace under a hidden temp name, then renames it into place: it appears whole or not at all. */
export async function createWorkspace(project: Project, id: string, doc: SessionDoc, templateFiles: Record<string, string>): Promise<void> {
  const finalDir = abs(project.root, sessionRelDir('active', id));
  if (existsSync(finalDir)) throw new SpecmapError('CONFLICT', `session folder already exists: ${sessionRelDir('active', id)}`, { kind: 'exists' });
  await buildDir(finalDir, (tmpDir) => {
    mkdirSync(tmpDir);
    for (const sub of WORKSPACE_DIRS) mkdirSync(abs(tmpDir, sub));
    const yamlText = renderSessionYaml(doc);
    writeFileSync(abs(tmpDir, 'session.yaml'), yamlText);
    cacheWrittenSession(parsedCachePath(project, 'active', id), yamlText, doc, 'session.yaml');
    writeFileSync(abs(tmpDir, 'summary.md'), summaryTemplate(doc));
    writeFileSync(abs(tmpDir, 'README.md'), workspaceReadme(doc));
    for (const [rel, text] of Object.entries(templateFiles)) {
      mkdirSync(dirname(abs(tmpDir, rel)), { recursive: true });
      writeFileSync(abs(tmpDir, rel), fillPlaceholders(text, doc));
    }
  }, { shown: sessionRelDir('active', id) });
}
