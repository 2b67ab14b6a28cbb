import type { SessionDoc } from './session-file.js';

/** The summary.md a new session starts with; the user (or agent) fills it in before `end`. */
export function summaryTemplate(doc: SessionDoc): string {
  const s = doc.session;
  return `# Session summary: ${s.id}

- **Focus**: ${s.focus}
- **Agent**: ${s.agent}
- **Started**: ${s.date} ${s.start_time}

## Goals

- 

## What was done

- 

## Decisions

- (one file each in decisions/)

## Open questions and next steps

- 
`;
}

/** The README.md guide placed in every session workspace. */
export function workspaceReadme(doc: SessionDoc): string {
  const id = doc.session.id;
  return `# Session ${id}

This folder is the workspace of one specmap session. Keep production code in the project's own folders;
keep what belongs to this session here.

| folder / file | what goes there |
|---|---|
| \`artifacts/\` | files produced for this session (reports, generated data, drafts) |
| \`notes/\` | scratch work |
| \`decisions/\` | one Markdown file per technical decision |
| \`snapshots/\` | checkpoint manifests, written by \`specmap checkpoint\` |
| \`session.yaml\` | metadata: focus, agent, artifacts, checkpoints, metrics |
| \`summary.md\` | the session summary; complete it before ending the session |

## Commands

\`\`\`bash
specmap track ${id} <file> created|modified   # record a file this session created or changed
specmap checkpoint ${id} "<description>"      # snapshot the project as a git commit
specmap show ${id}                            # metadata, artifacts, checkpoints
specmap end ${id} <rulemap-score 0-10>        # archive, back up as ZIP, update TRACKING.md
\`\`\`

In git, the session is the ref \`refs/sessions/${id}\`: \`git log refs/sessions/${id}\` shows its checkpoints.
`;
}
