import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { GROUPS } from './timing.mjs';

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
const kb = (x) => (x === null || x === undefined ? '–' : x >= 10 * 1024 ? `${(x / 1024).toFixed(1)} MiB` : `${Math.round(x)} KiB`);
const verdict = (p) => (p === null || p === undefined ? '' : p ? 'met' : '**missed**');
const judged = (r) => r.pass !== null && r.pass !== undefined;
/** A markdown table cell: a `|` inside it would end the cell. */
const cell = (x) => String(x ?? '').replace(/\|/g, '\\|');
/** What a judged row's result is, as the Targets table shows it. */
const valueOf = (s, r) => r.value ?? (s.key === 'memory' ? `${r.tree_rss_mb} MB` : ratio(r.ratio));

/** A plain-text table (console), columns padded; the first column left-aligned. */
function textTable(head, rows, left = 1) {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `  ${cells.map((c, i) => (i < left ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('  ')}`;
  return [line(head), ...rows.map(line)].join('\n');
}
const mark = (r) => (judged(r) ? `${r.pass ? 'met' : 'MISSED'}` : '');

/** Plain-text table on stdout, one per section. */
export function printSection(section) {
  const lines = [`\n${section.title}`];
  if (section.error) lines.push(`  FAILED: ${section.error}`);
  else if (section.key === 'memory') {
    for (const r of section.rows) {
      lines.push(`  ${r.label.padEnd(78)} ${String(r.seconds).padStart(6)} s  tree ${String(r.tree_rss_mb).padStart(5)} MB  node ${String(r.node_rss_mb ?? '-').padStart(5)} MB  exit ${r.exit}${r.error ? `  ${r.error}` : ''}  ${r.target ?? ''} ${mark(r)}`);
    }
  } else if (section.key === 'peers') {
    lines.push(textTable(['tool', 'first step ms', 'KiB', 'first cp ms', 'KiB', 'later ms', 'du KiB/cp', 'objects KiB/cp'],
      section.rows.map((r) => [r.tool, ms(r.first_ms), r.first_kb ?? '–', ms(r.first_checkpoint_ms), r.first_checkpoint_kb ?? '–', ms(r.later_ms), r.later_du_kb, r.later_objects_kb])));
  } else if (section.key === 'storage') {
    lines.push(textTable(['side', 'disk KiB', '.git KiB', 'objects KiB', 'packed KiB', '04-agents KiB', 'ms/turn'],
      section.rows.map((r) => [r.id, r.disk_kb, r.git_kb, r.objects_kb, r.packed_kb, r.agents_kb, ms(r.ms_per_turn)])));
  } else {
    const extra = section.key === 'agent-hooks'
      ? [['sh', (r) => ms(r.sh_ms)], ['node', (r) => ms(r.node_ms)], ['+sh', (r) => added(r.added_over_sh_ms)], ['+node', (r) => added(r.added_over_node_ms)]]
      : section.key === 'scale' ? [['status', (r) => ms(r.status_ms)]] : section.key === 'mcp' ? [['p99', (r) => ms(r.p99_ms)]] : [];
    lines.push(textTable(
      ['case', 'specmap', 'baseline', 'ratio', 'added', ...extra.map((e) => e[0]), 'value', 'target', ''],
      section.rows.map((r) => [r.label, ms(r.specmap_ms), ms(r.baseline_ms), ratio(r.ratio), added(r.added_ms), ...extra.map((e) => e[1](r)), judged(r) ? valueOf(section, r) : '', r.target ?? '', mark(r)]),
    ));
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Every judged row, grouped as in issue 19 (its groups first, in order), then by section order. */
function targetRows(results) {
  const order = Object.values(GROUPS);
  const all = results.sections.flatMap((s, si) => s.rows.filter(judged).map((r, ri) => ({ s, r, si, ri })));
  const g = (x) => {
    const i = order.indexOf(x.r.group ?? GROUPS.earlier);
    return i < 0 ? order.length : i;
  };
  return all.sort((a, b) => g(a) - g(b) || a.si - b.si || a.ri - b.ri);
}

/** The targets on stdout at the end of a run: value, target, met or MISSED. */
export function printTargets(results) {
  const rows = targetRows(results);
  const failed = results.sections.filter((s) => s.error);
  const met = rows.filter(({ r }) => r.pass).length;
  const out = [`\nTargets: ${met} of ${rows.length} met${failed.length ? `; ${failed.length} case(s) failed: ${failed.map((s) => s.key).join(', ')}` : ''}`];
  out.push(textTable(['group', 'case', 'value', 'target', ''], rows.map(({ s, r }) => [r.group ?? GROUPS.earlier, `${s.key}: ${r.label}`, valueOf(s, r), r.target, r.pass ? 'met' : 'MISSED']), 2));
  process.stdout.write(`${out.join('\n')}\n`);
}

function rowsTable(rows, { extraCols = [] } = {}) {
  const head = ['case', 'specmap (ms)', 'baseline (ms)', 'ratio', 'added (ms)', ...extraCols.map((c) => c[0]), 'target', ''];
  const out = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const r of rows) {
    const cells = [r.label, ms(r.specmap_ms), ms(r.baseline_ms), ratio(r.ratio), added(r.added_ms), ...extraCols.map((c) => c[1](r)), r.target ?? '', verdict(r.pass)];
    out.push(`| ${cells.map(cell).join(' | ')} |`);
  }
  return out.join('\n');
}

function scalingTables(section) {
  const matrix = section.rows.filter((r) => !r.variant);
  const sizes = [...new Set(matrix.map((r) => r.size))];
  const counts = [...new Set(matrix.map((r) => r.changed))];
  const get = (s, n) => matrix.find((r) => r.size === s && r.changed === n);
  const head = ['changed files', ...sizes.flatMap((s) => [`${s} specmap`, `${s} baseline`, `${s} ratio`])];
  const t = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const n of counts) {
    t.push(`| ${n.toLocaleString('en')} | ${sizes.map((s) => {
      const r = get(s, n);
      if (!r) return '– | – | –';
      return `${ms(r.specmap_ms)} | ${ms(r.baseline_ms)} | ${ratio(r.ratio)}${r.pass === false ? ' ✗' : r.pass ? ' ✓' : ''}`;
    }).join(' | ')} |`);
  }
  const o = [`| changed files | ${sizes.map((s) => `${s}: specmap − baseline (ms)`).join(' | ')} |`, `|---|${sizes.map(() => '---:').join('|')}|`];
  for (const n of counts) o.push(`| ${n.toLocaleString('en')} | ${sizes.map((s) => added(get(s, n)?.added_ms)).join(' | ')} |`);
  const variants = section.rows.filter((r) => r.variant);
  return `Median milliseconds (✓ target met, ✗ missed; sizes without a mark are reported, not judged):\n\n${t.join('\n')}\n\n`
    + `What specmap adds on top of the baseline:\n\n${o.join('\n')}`
    + (variants.length ? `\n\n${rowsTable(variants)}` : '');
}

function memoryTable(section) {
  const out = ['| operation | wall (s) | peak RSS, process tree (MB) | peak RSS, Node (MB) | exit | target | |', '|---|---:|---:|---:|---:|---|---|'];
  for (const r of section.rows) {
    out.push(`| ${r.label}${r.error ? `<br>\`${r.error.replace(/\|/g, '\\|')}\`` : ''} | ${r.seconds} | ${r.tree_rss_mb} | ${r.node_rss_mb ?? '–'} | ${r.exit} | ${r.target ?? ''} | ${verdict(r.pass)} |`);
  }
  return out.join('\n');
}

function peersTable(section) {
  const out = [
    '| tool | first step (ms) | disk added by it | first checkpoint (ms) | disk added by it | later checkpoint (ms) | disk per later checkpoint (du) | objects per later checkpoint |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of section.rows) {
    out.push(`| ${r.label} | ${r.first_ms === null ? r.first_label : ms(r.first_ms)} | ${kb(r.first_kb)} | ${ms(r.first_checkpoint_ms)} | ${kb(r.first_checkpoint_kb)} | ${ms(r.later_ms)} | ${kb(r.later_du_kb)} | ${kb(r.later_objects_kb)} |`);
  }
  return out.join('\n');
}

function storageTable(section) {
  const out = [
    '| side | disk added (du of the project) | of which .git | git objects (count-objects) | loose objects | packed (after gc) | session folders (04-agents) | ms per turn |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of section.rows) {
    out.push(`| ${r.label} | ${kb(r.disk_kb)} | ${kb(r.git_kb)} | ${kb(r.objects_kb)} | ${r.loose_objects} | ${kb(r.packed_kb)} | ${kb(r.agents_kb)} | ${ms(r.ms_per_turn)} |`);
  }
  return out.join('\n');
}

function sectionBody(section) {
  if (section.error) return `This case failed in this run: \`${section.error.replace(/`/g, "'")}\``;
  if (section.key === 'checkpoint') return scalingTables(section);
  if (section.key === 'memory') return memoryTable(section);
  if (section.key === 'peers') return peersTable(section);
  if (section.key === 'storage') return storageTable(section);
  if (section.key === 'startup') {
    const out = ['| call | median (ms) | target | |', '|---|---:|---|---|'];
    for (const r of section.rows) out.push(`| \`${r.label}\` | ${ms(r.specmap_ms)} | ${r.target ?? ''} | ${verdict(r.pass)} |`);
    return out.join('\n');
  }
  if (section.key === 'mcp') {
    const judgedRows = section.rows.filter((r) => r.baseline_ms !== null);
    const out = ['| call | p50 (ms) | p99 (ms) | calls |', '|---|---:|---:|---:|'];
    for (const r of section.rows.filter((x) => x.baseline_ms === null)) out.push(`| ${r.label} | ${ms(r.p50_ms)} | ${ms(r.p99_ms)} | ${r.runs} |`);
    return `${rowsTable(judgedRows, { extraCols: [['p99 (ms)', (r) => ms(r.p99_ms)]] })}\n\n${out.join('\n')}`;
  }
  if (section.key === 'agent-hooks') {
    return rowsTable(section.rows, {
      extraCols: [
        ['baseline is', (r) => r.baseline_is ?? ''],
        ['`sh -c true` (ms)', (r) => ms(r.sh_ms)],
        ['`node -e 0` (ms)', (r) => ms(r.node_ms)],
        ['added over sh (ms)', (r) => added(r.added_over_sh_ms)],
        ['added over node (ms)', (r) => added(r.added_over_node_ms)],
      ],
    });
  }
  if (section.key === 'scale') return rowsTable(section.rows, { extraCols: [['git status (ms)', (r) => ms(r.status_ms)], ['index', (r) => `v${r.index.version}${r.index.untracked_cache ? ', UNTR' : ''}${r.index.fsmonitor ? ', FSMN' : ''}`]] });
  if (section.key === 'flat') return rowsTable(section.rows, { extraCols: [['vs 1-checkpoint session', (r) => ratio(r.vs_reference)]] });
  if (section.key === 'hooks') return rowsTable(section.rows, { extraCols: [['background record (ms)', (r) => ms(r.background_record_ms)]] });
  return rowsTable(section.rows);
}

/** docs/benchmarks.md: machine, summary of targets, one section per case, then the hand-written analysis. */
export function renderMarkdown(results, analysis) {
  const m = results.machine;
  const summary = ['| group | case | value | target | |', '|---|---|---|---|---|'];
  for (const { s, r } of targetRows(results)) summary.push(`| ${[r.group ?? GROUPS.earlier, `${s.key}: ${r.label}`, valueOf(s, r), r.target, verdict(r.pass)].map(cell).join(' | ')} |`);
  const failed = results.sections.filter((s) => s.error);
  const met = targetRows(results).filter(({ r }) => r.pass).length;
  return [
    '# Benchmarks',
    '',
    `<!-- Generated by \`node bench/run.mjs\` (${results.mode} run, ${m.date}); do not edit by hand. The analysis at the end comes from bench/analysis.md. -->`,
    '',
    'specmap measured against the best tool a user could run instead, in the same run, on generated repositories',
    '(seeded, so every run builds the same files; cached under bench/.work/cache): S = 1,000 files (15 MB),',
    'M = 10,000 files (~100 MB, ten 5 MB binaries), L = 50,000 files (~300 MB), XL = 100,000 and XXL = 250,000',
    'small files (200 B–2 KB, ~80 and ~200 MB). Each case runs warm-up rounds first, then alternates specmap and',
    'the baseline (the order rotates every round); the tables show medians. specmap is run as a user runs it, as',
    '`node dist/bin/specmap.js …` in a child process, so every figure includes Node start-up. Every child runs',
    'without NODE_EXTRA_CA_CERTS (this environment sets it; it adds a CA bundle read to every Node start) except',
    'the rows that say "with NODE_EXTRA_CA_CERTS".',
    '',
    `\`npm run bench\` runs everything (${Math.round(results.duration_s / 60)} minutes for the run below; \`--no-large\` skips L, XL and XXL);`,
    '`node bench/run.mjs --quick` runs S only with fewer rounds in about two minutes. Raw samples are in',
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
    `| NODE_EXTRA_CA_CERTS | ${m.node_extra_ca_certs ?? 'not recorded'} |`,
    `| run | ${results.mode}, ${Math.round(results.duration_s)} s in total |`,
    '',
    '## Targets',
    '',
    `${met} of ${targetRows(results).length} met${failed.length ? `; failed cases (no figures): ${failed.map((s) => s.key).join(', ')}` : ''}.`,
    '',
    summary.join('\n'),
    '',
    ...results.sections.flatMap((s) => [`## ${s.title}`, '', sectionBody(s), '', ...(s.note ? [s.note, ''] : [])]),
    analysis.trim(),
    '',
  ].join('\n');
}
