import type { CompletionSpec } from './spec.js';

/** A word in single quotes for bash and zsh. */
export const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The data half of the bash and zsh scripts, the same text in both: three functions answering from `case` tables
 * what a command (its words as typed, 'specmap backup prune') takes; __specmap_global lists the global options.
 *   __specmap_cmd <cmd>        -> __specmap_subs (subcommands offered), __specmap_all (every one, hidden too),
 *                                 __specmap_opts (its options and the global ones); with descriptions (zsh) also
 *                                 the arrays __specmap_sd ('name:summary') and __specmap_od ('option:description')
 *   __specmap_optval <cmd> <o> -> __specmap_v: '' for a flag, else what its value takes (see spec.ts ValueCode)
 *   __specmap_pos <cmd> <n>    -> __specmap_v: what positional argument n (from 0) takes, '' past the last
 */
export function posixData(spec: CompletionSpec, descriptions: boolean): string {
  const out: string[] = [];
  const globalNames = spec.global.flatMap((o) => o.names);
  out.push(`__specmap_global=${shq(` ${globalNames.join(' ')} `)}`, '');
  out.push('__specmap_cmd() {', '  case $1 in');
  for (const c of spec.commands) {
    const visible = c.subcommands.filter((s) => !s.hidden);
    const lines = [
      `__specmap_subs=${shq(visible.map((s) => s.name).join(' '))}`,
      `__specmap_all=${shq(c.subcommands.map((s) => s.name).join(' '))}`,
      `__specmap_opts=${shq([...c.options.flatMap((o) => o.names), ...globalNames].join(' '))}`,
    ];
    if (descriptions) {
      const sd = visible.map((s) => shq(`${s.name}:${s.summary}`));
      const od = [...c.options, ...spec.global].flatMap((o) => o.names.map((n) => shq(`${n}:${o.description}`)));
      lines.push(`__specmap_sd=(${sd.join(' ')})`, `__specmap_od=(${od.join(' ')})`);
    }
    out.push(`    ${shq(c.key)})`, ...lines.map((l) => `      ${l}`), '      ;;');
  }
  out.push("    *) __specmap_subs=''; __specmap_all=''; __specmap_opts=" + shq(globalNames.join(' ')) + (descriptions ? '; __specmap_sd=(); __specmap_od=()' : '') + ';;');
  out.push('  esac', '}', '');

  out.push('__specmap_optval() {', '  case "$1|$2" in');
  for (const c of spec.commands) {
    for (const o of c.options) if (o.value !== '') out.push(`    ${o.names.map((n) => shq(`${c.key}|${n}`)).join('|')}) __specmap_v=${shq(o.value)};;`);
  }
  for (const o of spec.global) if (o.value !== '') out.push(`    ${o.names.map((n) => `*${shq(`|${n}`)}`).join('|')}) __specmap_v=${shq(o.value)};;`);
  out.push("    *) __specmap_v='';;", '  esac', '}', '');

  out.push('__specmap_pos() {', '  case "$1|$2" in');
  for (const c of spec.commands) {
    c.args.forEach((value, i) => {
      const last = c.variadic && i === c.args.length - 1;
      out.push(`    ${shq(`${c.key}|`)}${last ? '*' : i}) __specmap_v=${shq(value)};;`);
    });
  }
  out.push("    *) __specmap_v='';;", '  esac', '}');
  return out.join('\n');
}
