import os from 'node:os';
import { spawnSync } from 'node:child_process';

export function machineInfo() {
  const first = (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    return (r.stdout || r.stderr || '').split('\n').find((l) => l.trim()) ?? 'unknown';
  };
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cores: cpus.length,
    cpu: cpus[0]?.model ?? 'unknown',
    memory_gb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    git: first('git', ['--version']).replace('git version ', ''),
    zip: /This is Zip ([\d.]+)/.exec(spawnSync('zip', ['-v'], { encoding: 'utf8' }).stdout ?? '')?.[1] ?? 'unknown',
  };
}

const ms = (x) => (x === null || x === undefined ? '–' : x >= 100 ? `${Math.round(x)}` : x.toFixed(1));
const ratio = (x) => (x === null || x === undefined ? '–' : `${x.toFixed(2)}×`);
const added = (x) => (x === null || x === undefined ? '–' : `${x >= 0 ? '+' : ''}${ms(x)}`);
const verdict = (p) => (p === null || p === undefined ? '' : p ? 'met' : '**missed**');

/** Plain-text table on stdout, one per section. */
export function printSection(section) {
  const lines = [`\n${section.title}`];
  if (section.key === 'memory') {
    for (const r of section.rows) {
      lines.push(`  ${r.label.padEnd(78)} ${String(r.seconds).padStart(6)} s  tree ${String(r.tree_rss_mb).padStart(5)} MB  node ${String(r.node_rss_mb ?? '-').padStart(5)} MB  exit ${r.exit}${r.error ? `  ${r.error}` : ''}`);
    }
  } else {
    const w = Math.max(...section.rows.map((r) => r.label.length), 4);
    lines.push(`  ${'case'.padEnd(w)} ${'specmap'.padStart(9)} ${'baseline'.padStart(9)} ${'ratio'.padStart(7)} ${'added'.padStart(8)}  target`);
    for (const r of section.rows) {
      const t = r.target ? `${r.target} ${r.pass ? 'met' : 'MISSED'}` : '';
      lines.push(`  ${r.label.padEnd(w)} ${ms(r.specmap_ms).padStart(9)} ${ms(r.baseline_ms).padStart(9)} ${ratio(r.ratio).padStart(7)} ${added(r.added_ms).padStart(8)}  ${t}`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

function rowsTable(rows, { extraCols = [] } = {}) {
  const head = ['case', 'specmap (ms)', 'baseline (ms)', 'ratio', 'added (ms)', ...extraCols.map((c) => c[0]), 'target', ''];
  const out = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const r of rows) {
    const cells = [r.label, ms(r.specmap_ms), ms(r.baseline_ms), ratio(r.ratio), added(r.added_ms), ...extraCols.map((c) => c[1](r)), r.target ?? '', verdict(r.pass)];
    out.push(`| ${cells.join(' | ')} |`);
  }
  return out.join('\n');
}

function scalingTables(section) {
  const sizes = [...new Set(section.rows.map((r) => r.size))];
  const counts = [...new Set(section.rows.map((r) => r.changed))];
  const get = (s, n) => section.rows.find((r) => r.size === s && r.changed === n);
  const head = ['changed files', ...sizes.flatMap((s) => [`${s} specmap`, `${s} baseline`, `${s} ratio`])];
  const t = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const n of counts) {
    t.push(`| ${n.toLocaleString('en')} | ${sizes.map((s) => {
      const r = get(s, n);
      return `${ms(r.specmap_ms)} | ${ms(r.baseline_ms)} | ${ratio(r.ratio)}${r.pass === false ? ' ✗' : r.pass ? ' ✓' : ''}`;
    }).join(' | ')} |`);
  }
  const o = [`| changed files | ${sizes.map((s) => `${s}: specmap − baseline (ms)`).join(' | ')} |`, `|---|${sizes.map(() => '---:').join('|')}|`];
  for (const n of counts) o.push(`| ${n.toLocaleString('en')} | ${sizes.map((s) => added(get(s, n).added_ms)).join(' | ')} |`);
  return `Median milliseconds (✓ ratio target met, ✗ missed; S is not judged):\n\n${t.join('\n')}\n\n`
    + `What specmap adds on top of the baseline:\n\n${o.join('\n')}`;
}

function memoryTable(section) {
  const out = ['| operation | wall (s) | peak RSS, process tree (MB) | peak RSS, Node (MB) | exit | target | |', '|---|---:|---:|---:|---:|---|---|'];
  for (const r of section.rows) {
    out.push(`| ${r.label}${r.error ? `<br>\`${r.error.replace(/\|/g, '\\|')}\`` : ''} | ${r.seconds} | ${r.tree_rss_mb} | ${r.node_rss_mb ?? '–'} | ${r.exit} | ${r.target ?? ''} | ${verdict(r.pass)} |`);
  }
  return out.join('\n');
}

function sectionBody(section) {
  if (section.key === 'scaling') return scalingTables(section);
  if (section.key === 'memory') return memoryTable(section);
  if (section.key === 'startup') {
    const out = ['| call | median (ms) |', '|---|---:|'];
    for (const r of section.rows) out.push(`| \`${r.label}\` | ${ms(r.specmap_ms)} |`);
    return out.join('\n');
  }
  if (section.key === 'mcp') {
    const out = ['| call | p50 (ms) | p99 (ms) | calls |', '|---|---:|---:|---:|'];
    for (const r of section.rows) out.push(`| ${r.label} | ${ms(r.p50_ms)} | ${ms(r.p99_ms)} | ${r.runs} |`);
    return out.join('\n');
  }
  if (section.key === 'hooks') return rowsTable(section.rows, { extraCols: [['background record (ms)', (r) => ms(r.background_record_ms)]] });
  return rowsTable(section.rows);
}

/** docs/benchmarks.md: machine, summary of targets, one section per case, then the hand-written analysis. */
export function renderMarkdown(results, analysis) {
  const m = results.machine;
  const judged = results.sections.flatMap((s) => s.rows.filter((r) => r.pass !== null && r.pass !== undefined).map((r) => ({ s, r })));
  const summary = ['| case | result | target | |', '|---|---|---|---|'];
  for (const { s, r } of judged) {
    const res = s.key === 'memory' ? `${r.tree_rss_mb} MB${r.exit ? ` (exit ${r.exit})` : ''}` : s.key === 'hooks' ? `${added(r.added_ms)} ms` : ratio(r.ratio);
    summary.push(`| ${s.key}: ${r.label} | ${res} | ${r.target} | ${verdict(r.pass)} |`);
  }
  return [
    '# Benchmarks',
    '',
    `<!-- Generated by \`node bench/run.mjs\` (${results.mode} run, ${m.date}); do not edit by hand. The analysis at the end comes from bench/analysis.md. -->`,
    '',
    'specmap measured against the best tool a user could run instead, in the same run, on generated repositories',
    '(seeded, so every run builds the same files): S = 1,000 files (15 MB), M = 10,000 files (~100 MB, ten 5 MB',
    'binaries), L = 50,000 files (~300 MB). Each case runs warm-up rounds first, then alternates specmap and the',
    'baseline (which goes first flips every round); the tables show medians. specmap is run as a user runs it, as',
    '`node dist/bin/specmap.js …` in a child process, so every figure includes Node start-up.',
    '',
    `\`npm run bench\` runs everything (${Math.round(results.duration_s / 60)} minutes for the run below; \`--no-large\` skips L);`,
    '`node bench/run.mjs --quick` runs S only with fewer rounds in under a minute. Raw samples are in',
    '[bench/results.json](../bench/results.json).',
    '',
    '## Machine',
    '',
    '| | |',
    '|---|---|',
    `| date | ${m.date} |`,
    `| CPU | ${m.cpu}, ${m.cores} cores |`,
    `| memory | ${m.memory_gb} GB |`,
    `| OS | ${m.os} |`,
    `| Node | ${m.node} |`,
    `| git | ${m.git} |`,
    `| zip | ${m.zip} |`,
    `| run | ${results.mode}, ${Math.round(results.duration_s)} s in total |`,
    '',
    '## Targets',
    '',
    summary.join('\n'),
    '',
    ...results.sections.flatMap((s) => [`## ${s.title}`, '', sectionBody(s), '', ...(s.note ? [s.note, ''] : [])]),
    analysis.trim(),
    '',
  ].join('\n');
}
