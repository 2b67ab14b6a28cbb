/** Left-aligned columns separated by two spaces, as `git branch -v` and `docker ps` print them. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [fmt(header), ...rows.map(fmt)].join('\n');
}

/** How many names a list prints before it says how many more there are (`--verbose` prints them all). */
export const NAMES_SHOWN = 10;

/** Indented lines of `names`: all of them with `verbose` or when few, else the first NAMES_SHOWN and a count of the rest. */
export function nameLines(names: string[], verbose: boolean, indent = '   '): string[] {
  if (verbose || names.length <= NAMES_SHOWN) return names.map((n) => `${indent}${n}`);
  const rest = names.length - NAMES_SHOWN;
  return [...names.slice(0, NAMES_SHOWN).map((n) => `${indent}${n}`), `${indent}… and ${rest.toLocaleString('en')} more (--verbose lists them all)`];
}
