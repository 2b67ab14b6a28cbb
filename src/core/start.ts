import { mkdirSync, renameSync, rmSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { now, localDate, localTime } from './clock.js';
import { SpecmapError, ioError } from './errors.js';
import { checkAgent, checkFocus, checkMetadata, formatSessionId, sessionNumberOn } from './ids.js';
import { ACTIVE_DIR, ARCHIVE_DIR, WORKSPACE_DIRS, abs, sessionRefName, sessionRelDir } from './layout.js';
import { openProject, withProjectLock, type Project, type ProjectOptions } from './project.js';
import { ensureLayout } from './init.js';
import { fillPlaceholders, loadTemplate } from './session-templates.js';
import { dirname } from 'node:path';
import { settleLocked } from './settle.js';
import { cacheWrittenSession, renderSessionYaml, type SessionDoc } from './session-file.js';
import { parsedCachePath } from './session-store.js';
import { summaryTemplate, workspaceReadme } from './workspace-templates.js';
import { commitTree, deleteRef, emptyTree, headCommit, listRefs, updateRef, userIdentity } from '../git/index.js';

export interface StartOptions extends ProjectOptions {
  focus: string;
  /** Defaults to "claude", as in the spec. */
  agent?: string;
  /** The spec's optional metadata dict. */
  metadata?: Record<string, string>;
  /** A template (04-agents/templates/<name>/ or a built-in one) whose files start the workspace. */
  template?: string;
}

export interface StartResult {
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
}

/** Starts a session: numbered workspace folder, session.yaml, and the ref `refs/sessions/<id>` at HEAD. */
export async function startSession(opts: StartOptions): Promise<StartResult> {
  const { text: focus, slug } = checkFocus(opts.focus);
  const agent = checkAgent(opts.agent ?? 'claude');
  const metadata = checkMetadata(opts.metadata ?? {});
  const project = await openProject(opts);
  const templateFiles = opts.template !== undefined ? loadTemplate(project.root, opts.template) : {};
  return withProjectLock(project, async () => {
    await settleLocked(project);
    const layout = ensureLayout(project);
    const at = now();
    const date = localDate(at);
    const startTime = localTime(at);
    const number = (await highestNumberOn(project, date)) + 1;
    const id = formatSessionId(date, number, slug);
    const ref = sessionRefName(id);
    const user = await userIdentity(project.git);
    let baseCommit = await headCommit(project.git);
    const emptyBase = baseCommit === undefined;
    if (baseCommit === undefined) {
      baseCommit = await commitTree(project.git, {
        tree: await emptyTree(project.git),
        parents: [],
        message: `specmap: base of session ${id}\n\nThe repository had no commits when the session started.\n\nSession-Id: ${id}\n`,
        date: at,
      });
    }

    const doc: SessionDoc = {
      session: { id, date, start_time: startTime, end_time: null, focus, agent, status: 'active', ...(user ? { user } : {}) },
      artifacts: { created: [], modified: [] },
      checkpoints: [],
      metrics: {},
      rulemap_score: null,
      ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
      git: { ref, base_commit: baseCommit },
    };

    // The ref is created only if it does not exist: a second guard, beside the lock, against reusing a number.
    await updateRef(project.git, ref, baseCommit, undefined, `specmap start ${id}`);
    try {
      createWorkspace(project, id, doc, templateFiles);
    } catch (err) {
      await deleteRef(project.git, ref, baseCommit).catch(() => {});
      throw err;
    }

    return {
      id, focus, agent, date, startTime,
      workspace: `${sessionRelDir('active', id)}/`,
      ref, baseCommit, emptyBase,
      initialized: layout.createdDirs,
    };
  });
}

/** Highest session number used on `date` by any folder (active or archived) or session ref. */
export async function highestNumberOn(project: Project, date: string): Promise<number> {
  let max = 0;
  const consider = (name: string) => {
    const n = sessionNumberOn(date, name);
    if (n !== undefined && n > max) max = n;
  };
  for (const rel of [ACTIVE_DIR, ARCHIVE_DIR]) {
    const dir = abs(project.root, rel);
    if (existsSync(dir)) readdirSync(dir).forEach(consider);
  }
  for (const { ref } of await listRefs(project.git, `refs/sessions/${date}-session-`)) {
    consider(ref.slice('refs/sessions/'.length));
  }
  // Sessions fetched from remotes count too, so clones that pull before starting do not collide.
  for (const { ref } of await listRefs(project.git, 'refs/remotes/')) {
    const m = /^refs\/remotes\/[^/]+\/(?:sessions|specmap\/meta)\/(.+)$/.exec(ref);
    if (m) consider(m[1]!);
  }
  return max;
}

/** Builds the workspace under a hidden temp name, then renames it into place: it appears whole or not at all. */
function createWorkspace(project: Project, id: string, doc: SessionDoc, templateFiles: Record<string, string>): void {
  const finalDir = abs(project.root, sessionRelDir('active', id));
  const tmpDir = abs(project.root, `${ACTIVE_DIR}/.${id}.${process.pid}.tmp`);
  if (existsSync(finalDir)) throw new SpecmapError('CONFLICT', `session folder already exists: ${sessionRelDir('active', id)}`);
  try {
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
    renameSync(tmpDir, finalDir);
  } catch (err) {
    rmSync(tmpDir, { recursive: true, force: true });
    throw err instanceof SpecmapError ? err : ioError('create the session workspace', sessionRelDir('active', id), err);
  }
}
