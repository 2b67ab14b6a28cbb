import { existsSync, lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SpecmapError } from '../../shared/errors.js';
import { AGENTS_DIR, abs } from '../../shared/layout.js';
import type { Project } from '../project/project.js';
import type { SessionDoc } from './session-file.js';

export const TEMPLATES_DIR = `${AGENTS_DIR}/templates`;

/** Built-in templates for the spec's workflow phases: workspace-relative path → text with {{placeholders}}. */
const BUILT_IN: Record<string, { description: string; files: Record<string, string> }> = {
  specify: {
    description: 'write or refine a specification',
    files: {
      'notes/spec-outline.md': '# Specification outline: {{focus}}\n\nSession {{id}}, {{date}}\n\n## Problem\n\n## Users and scenarios\n\n## Requirements\n\n## Out of scope\n\n## Open questions\n',
      'decisions/README.md': '# Decisions ({{id}})\n\nOne file per decision: context, options, choice, consequences.\n',
    },
  },
  plan: {
    description: 'turn a specification into a plan',
    files: {
      'notes/plan.md': '# Plan: {{focus}}\n\nSession {{id}}, {{date}}\n\n## Milestones\n\n- [ ] \n\n## Tasks\n\n| task | estimate | depends on |\n|---|---|---|\n\n## Risks\n',
    },
  },
  implement: {
    description: 'build against a plan, checkpointing as you go',
    files: {
      'notes/implementation-log.md': '# Implementation log: {{focus}}\n\nSession {{id}} ({{agent}}), {{date}}\n\n- Checkpoint after each working step: `specmap checkpoint {{id}} "<what works now>"`\n\n## Log\n\n',
      'notes/todo.md': '# To do\n\n- [ ] \n',
    },
  },
  qa: {
    description: 'test and review what was built',
    files: {
      'notes/test-plan.md': '# Test plan: {{focus}}\n\nSession {{id}}, {{date}}\n\n| area | case | expected | result |\n|---|---|---|---|\n',
      'notes/findings.md': '# Findings\n\n| severity | finding | file | status |\n|---|---|---|---|\n',
    },
  },
};

const NAME_RE = /^[a-z0-9][a-z0-9-]{0,49}$/;

export interface TemplateInfo {
  name: string;
  source: 'built-in' | 'project';
  description: string;
  files: string[];
}

function projectTemplateFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) continue; // a link could pull in files from outside the project
      if (st.isDirectory()) walk(p, `${prefix}${name}/`);
      else if (st.isFile() && `${prefix}${name}` !== 'session.yaml') files[`${prefix}${name}`] = readFileSync(p, 'utf8');
    }
  };
  walk(dir, '');
  return files;
}

/** A template's files: the project's own 04-agents/templates/<name>/ first, else a built-in one. */
export function loadTemplate(root: string, name: string): Record<string, string> {
  if (!NAME_RE.test(name)) throw new SpecmapError('INVALID_INPUT', `invalid template name ${JSON.stringify(name.slice(0, 60))}`);
  const dir = abs(root, `${TEMPLATES_DIR}/${name}`);
  if (existsSync(dir) && lstatSync(dir).isDirectory()) return projectTemplateFiles(dir);
  const builtIn = BUILT_IN[name];
  if (!builtIn) {
    throw new SpecmapError('INVALID_INPUT', `no template '${name}' (built-in: ${Object.keys(BUILT_IN).join(', ')}; or create ${TEMPLATES_DIR}/${name}/)`);
  }
  return builtIn.files;
}

/** Fills {{focus}}, {{date}}, {{id}}, {{agent}} and {{time}}; unknown placeholders are left as they are. */
export function fillPlaceholders(text: string, doc: SessionDoc): string {
  const s = doc.session;
  const values: Record<string, string> = { focus: s.focus, date: s.date, id: s.id, agent: s.agent, time: s.start_time };
  return text.replace(/\{\{\s*([a-z]+)\s*\}\}/g, (m, key: string) => values[key] ?? m);
}

/** The names `start --template` takes (built-in, then the project's own), without reading their files. */
export function templateNames(root: string): string[] {
  const names = new Set(Object.keys(BUILT_IN));
  const dir = abs(root, TEMPLATES_DIR);
  if (existsSync(dir)) for (const name of readdirSync(dir).sort()) if (NAME_RE.test(name) && lstatSync(join(dir, name)).isDirectory()) names.add(name);
  return [...names];
}

/** The built-in templates, then the project's own (a project template replaces a built-in one of its name). */
export function listTemplates(project: Project): TemplateInfo[] {
  const out = new Map<string, TemplateInfo>();
  for (const [name, t] of Object.entries(BUILT_IN)) out.set(name, { name, source: 'built-in', description: t.description, files: Object.keys(t.files) });
  const dir = abs(project.root, TEMPLATES_DIR);
  if (existsSync(dir)) {
    for (const name of readdirSync(dir).sort()) {
      if (!NAME_RE.test(name) || !lstatSync(join(dir, name)).isDirectory()) continue;
      out.set(name, { name, source: 'project', description: `${TEMPLATES_DIR}/${name}/`, files: Object.keys(projectTemplateFiles(join(dir, name))) });
    }
  }
  return [...out.values()];
}
