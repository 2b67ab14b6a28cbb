#!/usr/bin/env node
// Writes docs/api.md from src/index.ts and the JSDoc of each api verb: `npm run api-doc` (`--stdout` prints it).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const index = readFileSync(join(root, 'src/index.ts'), 'utf8');
const out = [
  "# The library: `import … from 'specmap'`", '',
  'Every verb of the CLI and the MCP server is a function of the package, typed, taking an options object with',
  '`cwd` (a folder inside the project; default `process.cwd()`) and returning the same snake_case object that',
  '`specmap <command> --json` prints and the MCP tools return as `structuredContent`. The JSON Schema of every',
  'result is in [schemas/](schemas/). Each call is one transaction: the project is opened once, the repository',
  'lock is held while it changes anything, and work the git hooks queued is recorded first.', '',
  "Errors are thrown as `SpecmapError` with a stable `code` (README.md, \"Errors and exit codes\"), the CLI's",
  'exit status as `exitCode`, and `details.kind` where one code covers several cases.', '',
  '```ts', "import { start, track, checkpoint, restoreCheckpoint, end, SpecmapError } from 'specmap';", '',
  "const s = await start({ cwd: '/repo', focus: 'authentication feature', agent: 'claude' });",
  "await track({ cwd: '/repo', session: s.session_id, file: 'src/auth.ts', action: 'created' });",
  "const cp = await checkpoint({ cwd: '/repo', session: s.session_id, description: 'login works' });",
  "await restoreCheckpoint({ cwd: '/repo', session: s.session_id, checkpoint: cp.checkpoint_id, inPlace: true, paths: ['src/auth.ts'] });",
  "await end({ cwd: '/repo', session: s.session_id, score: 8.5 });", '```', '',
  'Node 22.12 or later (22 and 24 are tested); ES modules only. The library never prints and never exits.', '',
];
for (const group of index.matchAll(/^\/\/ (.+)\n((?:export .+\n)+)/gm)) {
  if (group[1] === 'Shared') continue;
  out.push(`## ${group[1]}`, '');
  for (const line of group[2].split('\n')) {
    const src = /from '\.\/(api\/[^']+)\.js'/.exec(line);
    if (!src) continue;
    const text = readFileSync(join(root, 'src', `${src[1]}.ts`), 'utf8');
    for (const fn of text.matchAll(/\/\*\*\n((?: \*.*\n)+?) \*\/\nexport async function (\w+)\((\w+)(?:: (\w+))?/g)) {
      const doc = fn[1].split('\n').filter((l) => l !== '').map((l) => l.replace(/^ \* ?/, ''));
      const at = doc.indexOf('@example');
      const summary = at >= 0 ? doc.slice(0, at) : doc;
      const example = at >= 0 ? doc.slice(at + 1) : [];
      const opts = fn[4];
      out.push(opts ? `### \`${fn[2]}(${fn[3]}: ${opts})\`` : `### \`${fn[2]}()\``, '', summary.filter(Boolean).join(' ').trim(), '');
      const body = opts && new RegExp(`export interface ${opts}(?: extends [\\w, ]+)? \\{\\n([\\s\\S]*?)\\n\\}`).exec(text);
      if (body) {
        out.push('| option | type | meaning |', '| --- | --- | --- |');
        for (const f of body[1].matchAll(/(?:\/\*\* ?([\s\S]*?) ?\*\/\n)?  (\w+)(\??): ([^;]+);/g)) {
          const meaning = (f[1] ?? '').replace(/\s*\n\s*\*?\s*/g, ' ').trim();
          out.push(`| \`${f[2]}\`${f[3] ? ' (optional)' : ''} | \`${f[4].trim().replace(/\|/g, '\\|')}\` | ${meaning} |`);
        }
        out.push('');
      }
      if (example.length > 0) out.push('```ts', ...example, '```', '');
    }
  }
}
const text = `${out.join('\n').trimEnd()}\n`;
if (process.argv.includes('--stdout')) process.stdout.write(text);
else writeFileSync(join(root, 'docs/api.md'), text);
