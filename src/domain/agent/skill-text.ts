/**
 * Skills `specmap skill install <name>` writes to .claude/skills/<name>/SKILL.md, and `npm run plugin` to the plugin's
 * skills/<name>/SKILL.md. allowed-tools names the CLI (on the Bash PATH through the plugin's bin/, or installed) and
 * the MCP tools under both names Claude Code gives them: plugin server, and project server from .mcp.json.
 */
export const SKILLS = {
  'specmap-session-manager': `---
name: specmap-session-manager
description: Organises the work of a coding session with specmap — starts a session when work begins, takes checkpoints at milestones and before risky changes, tracks files, ends the session with a RULEMAP score and a backup, and restores earlier states. Use when the user starts, pauses, wraps up or wants to undo work, or asks what was done in a session.
allowed-tools:
  - Bash(specmap *)
  - mcp__plugin_specmap_specmap__*
  - mcp__specmap__*
---

# specmap session manager

specmap keeps each piece of agent work in a session: a workspace under \`04-agents/sessions/active/<id>/\`, a
\`session.yaml\` record, checkpoints that are real git commits (tagged \`checkpoints/<id>/<checkpoint>\`), and a ZIP
backup when the session ends. Run the commands below with the Bash tool from the project root. \`@\` means "the only
active session"; otherwise use the session id (a unique prefix such as \`2025-10-25-session-001\` works too).

## Start
When the user begins a piece of work ("let's work on the authentication feature"):

    specmap start "<short focus>" claude

Announce the result exactly as specmap prints it (✅ Session started, 📁 Workspace, 🎯 Focus). If the Claude Code
hooks are installed (the specmap plugin, or \`specmap init --claude\`), they record this conversation already: its
session opens at its first change, and starting it yourself names it. Start it with the \`session_start\` tool (the
hooks tie that call to this conversation), or with the command the hooks gave you at the start of the conversation
(\`specmap start "<focus>" claude --meta agent_session_id=<conversation id>\`); either way there is one session, the
one the hooks record into, never a second.

## During the work
- With the hooks, files you write with Write/Edit are tracked as you go, and every turn ends with a checkpoint of
  what it changed — shell commands' files included — named after the user's request; before a destructive shell
  command (\`rm\`, \`git checkout\`, \`git clean\` …) they take a safety checkpoint. Without hooks, run
  \`specmap track @ <file> created|modified\`.
- Put notes in the workspace's \`notes/\`, decisions in \`decisions/\` (one file per decision), and generated
  reports in \`artifacts/\`; never outside the project.
- Take a checkpoint:
  - after completing a feature or fixing a bug,
  - before refactoring, before risky operations, before switching tasks,
  - and every 30–60 minutes of work.

      specmap checkpoint @ "<what state this is>"            # every change since the last checkpoint
      specmap checkpoint @ "<description>" src/a.py tests/   # only these files or folders

  Confirm with the lines specmap prints (💾 Checkpoint created, 📁 Files snapshotted). Exit status 8 means nothing
  changed since the last checkpoint; that is fine.
- To see what happened: \`specmap log --oneline\`, \`specmap show @:~0\`, \`specmap diff @:~1 @:~0\`.

## Undo and recovery
Never delete or overwrite work to undo something. Instead:

    specmap restore --list-checkpoints @
    specmap restore --restore-checkpoint @ <checkpoint> --in-place <paths...>

The in-place restore first takes a safety checkpoint and prints an "Undo:" command; tell the user about it.
Without \`--in-place\` the files go to \`04-agents/sessions/active/<id>-<checkpoint>-restored/\` for comparison.
Session backups: \`specmap restore --list-backups\`, \`specmap restore --restore-backup <session>\`.

## End
When the user wraps up ("let's stop for today"):
1. Complete \`summary.md\` in the workspace: what was done, decisions, open items.
2. Ask the user for an honest RULEMAP score from 0 to 10 (or propose one and let them correct it).
3. Run \`specmap end @ <score>\` and report the summary block it prints (duration, files, checkpoints, score,
   backup path).

## Through MCP
If the specmap MCP server is connected (\`specmap mcp\`: the plugin starts it, \`specmap init --claude\` registers it
in .mcp.json), the same steps are tools (\`mcp__plugin_specmap_specmap__<tool>\` from the plugin,
\`mcp__specmap__<tool>\` from .mcp.json): \`session_list_active\`, \`session_start\`, \`session_track_artifact\`,
\`session_checkpoint\`, \`session_log\`, \`session_diff\`, \`session_restore_checkpoint\`, \`session_end\`. They take
the full session id (from \`session_start\` or \`session_list_active\`) and answer with the same facts as
structured results.

## Rules
- Do not skip start or end; do not create files outside the project.
- Never commit \`04-agents/backups/\` (ZIPs stay out of history; the pre-commit hook refuses them).
- If a specmap command fails, show its one-line error to the user; do not retry blindly.
`,
} as const;

export type SkillName = keyof typeof SKILLS;
