/**
 * A session summary (summary.md, written by a person or an agent) as HTML for the report: a safe subset of
 * Markdown, nothing else. Every character of the source is escaped; the only elements made are headings, paragraphs,
 * lists (nested, ordered, task items), block quotes, fenced code, tables, rules, `code`, **strong**, *em*, ~~del~~
 * and links to http(s)/mailto addresses (any other target is shown as text). No raw HTML passes, no image is
 * loaded (an image becomes its alt text), so the page stays self-contained whatever the summary holds.
 */

export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Markdown heading level 1 becomes this HTML level, so a summary's headings sit below the page's own. */
const HEADING_BASE = 3;
const MAX_QUOTE_DEPTH = 4;

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}> ?/;
const ITEM = /^([ \t]*)([-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?$/;
const TABLE_RULE = /^ *\|? *:?-+:? *(?:\| *:?-+:? *)*\|? *$/;

/** A safe link target, or undefined: only absolute http(s) and mailto addresses become links. */
function safeHref(url: string): string | undefined {
  return /^(?:https?:\/\/|mailto:)[^\s\x00-\x1f\x7f]+$/i.test(url) ? url : undefined;
}

/** One line (or a paragraph's joined lines) of inline Markdown as HTML. */
export function inline(raw: string): string {
  const held: string[] = [];
  const hold = (html: string) => `\u0000${held.push(html) - 1}\u0000`;
  let s = raw.replace(/\u0000/g, '');
  s = s.replace(/\\([\\`*_{}[\]()#+\-.!~|>])/g, (_m, c: string) => hold(esc(c)));
  s = s.replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, (_m, _t, code: string) => hold(`<code>${esc(code.trim() || code)}</code>`));
  s = s.replace(/!\[([^\]]*)\]\(((?:[^()\s]|\([^()\s]*\))*)(?:\s+"[^"]*")?\)/g, (_m, alt: string) => hold(alt ? `[image: ${esc(alt)}]` : '[image]'));
  s = s.replace(/\[([^\]]+)\]\(<?((?:[^()\s<>]|\([^()\s<>]*\))*)>?(?:\s+"[^"]*")?\)/g, (_m, text: string, url: string) => {
    const href = safeHref(url);
    return hold(href ? `<a href="${esc(href)}" rel="noopener noreferrer">${inline(text)}</a>` : `${inline(text)} (<code>${esc(url)}</code>)`);
  });
  s = s.replace(/<((?:https?:\/\/|mailto:)[^\s<>]+)>/gi, (_m, url: string) => hold(`<a href="${esc(url)}" rel="noopener noreferrer">${esc(url)}</a>`));
  s = esc(s);
  s = s.replace(/\*\*(\S(?:[\s\S]*?\S)?)\*\*/g, '<strong>$1</strong>');
  s = s.replace(/(^|\W)__(\S(?:[\s\S]*?\S)?)__(?!\w)/g, '$1<strong>$2</strong>');
  s = s.replace(/\*([^\s*](?:[\s\S]*?[^\s*])?)\*/g, '<em>$1</em>');
  s = s.replace(/(^|\W)_([^\s_](?:[\s\S]*?[^\s_])?)_(?!\w)/g, '$1<em>$2</em>');
  s = s.replace(/~~(\S(?:[\s\S]*?\S)?)~~/g, '<del>$1</del>');
  return s.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => held[Number(i)]!);
}

interface List {
  ordered: boolean;
  start: number;
  indent: number;
  items: { text: string; children: List[] }[];
}

function itemHtml(text: string): string {
  const task = /^\[([ xX])\][ \t]+(.*)$/.exec(text);
  if (task) return `<span class="task">${task[1] === ' ' ? '☐' : '☑'}</span> ${inline(task[2]!)}`;
  return inline(text);
}

/** A list as HTML; items with neither text nor sub-items (the template's empty `- `) are left out. */
function listHtml(l: List): string {
  const items = l.items
    .map((i) => ({ text: i.text.trim(), children: i.children.map(listHtml).join('') }))
    .filter((i) => i.text !== '' || i.children !== '')
    .map((i) => `<li>${itemHtml(i.text)}${i.children}</li>`)
    .join('');
  if (items === '') return '';
  return l.ordered ? `<ol${l.start !== 1 ? ` start="${l.start}"` : ''}>${items}</ol>` : `<ul>${items}</ul>`;
}

const indentOf = (ws: string) => ws.replace(/\t/g, '    ').length;
const cells = (line: string) => line.trim().replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/).map((c) => c.trim());

/** Markdown source as HTML (see the module comment). */
export function renderMarkdown(source: string, depth = 0): string {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let para: string[] = [];
  const flush = () => {
    if (para.length) out.push(`<p>${inline(para.join(' ').trim())}</p>`);
    para = [];
  };
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const close = new RegExp(`^ {0,3}${fence[1]![0] === '`' ? '`' : '~'}{${fence[1]!.length},}[ \\t]*$`);
      const code: string[] = [];
      for (i += 1; i < lines.length && !close.test(lines[i]!); i += 1) code.push(lines[i]!);
      i += 1;
      out.push(`<pre><code>${esc(code.join('\n'))}</code></pre>`);
      continue;
    }
    if (line.trim() === '') {
      flush();
      i += 1;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      const level = Math.min(6, heading[1]!.length + HEADING_BASE - 1);
      out.push(`<h${level}>${inline(heading[2] ?? '')}</h${level}>`);
      i += 1;
      continue;
    }
    const setext = para.length ? /^ {0,3}(=+|-+)[ \t]*$/.exec(line) : null;
    if (setext) {
      const level = Math.min(6, (setext[1]![0] === '=' ? 1 : 2) + HEADING_BASE - 1);
      out.push(`<h${level}>${inline(para.join(' ').trim())}</h${level}>`);
      para = [];
      i += 1;
      continue;
    }
    if (RULE.test(line)) {
      flush();
      out.push('<hr>');
      i += 1;
      continue;
    }
    if (QUOTE.test(line)) {
      flush();
      const quoted: string[] = [];
      for (; i < lines.length && QUOTE.test(lines[i]!); i += 1) quoted.push(lines[i]!.replace(QUOTE, ''));
      out.push(depth < MAX_QUOTE_DEPTH ? `<blockquote>${renderMarkdown(quoted.join('\n'), depth + 1)}</blockquote>` : `<blockquote><p>${inline(quoted.join(' '))}</p></blockquote>`);
      continue;
    }
    if (line.includes('|') && i + 1 < lines.length && TABLE_RULE.test(lines[i + 1]!) && lines[i + 1]!.includes('-')) {
      flush();
      const head = cells(line);
      const rows: string[][] = [];
      for (i += 2; i < lines.length && lines[i]!.includes('|') && lines[i]!.trim() !== ''; i += 1) rows.push(cells(lines[i]!));
      out.push(`<div class="table"><table><thead><tr>${head.map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead>`
        + `<tbody>${rows.map((r) => `<tr>${head.map((_h, k) => `<td>${inline(r[k] ?? '')}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`);
      continue;
    }
    if (ITEM.test(line)) {
      flush();
      i = list(lines, i, out);
      continue;
    }
    para.push(line.trim());
    i += 1;
  }
  flush();
  return out.filter((html) => html !== '').join('\n');
}

/** The list starting at `lines[start]`, appended to `out` (a change of list kind at the top starts a new list). Returns the next line. */
function list(lines: string[], start: number, out: string[]): number {
  let root: List | undefined;
  let stack: List[] = [];
  let i = start;
  for (; i < lines.length; i += 1) {
    const line = lines[i]!;
    const m = ITEM.exec(line);
    if (!m || RULE.test(line)) {
      if (line.trim() === '') {
        // A blank line inside a list: the list goes on when an item or an indented line follows.
        let j = i + 1;
        while (j < lines.length && lines[j]!.trim() === '') j += 1;
        if (j < lines.length && (ITEM.test(lines[j]!) || /^[ \t]{2,}\S/.test(lines[j]!))) {
          i = j - 1;
          continue;
        }
        break;
      }
      const top = stack.at(-1);
      if (top && /^[ \t]{2,}\S/.test(line) && !HEADING.test(line.trim()) && !FENCE.test(line.trim())) {
        const last = top.items.at(-1)!;
        last.text += ` ${line.trim()}`;
        continue;
      }
      break;
    }
    const indent = indentOf(m[1]!);
    const ordered = /\d/.test(m[2]!);
    const text = m[3] ?? '';
    while (stack.length > 1 && indent < stack.at(-1)!.indent) stack.pop();
    let top = stack.at(-1);
    const fresh = (): List => ({ ordered, start: ordered ? parseInt(m[2]!, 10) : 1, indent, items: [] });
    if (!top) {
      root = fresh();
      stack = [root];
      top = root;
    } else if (indent >= top.indent + 2 && top.items.length > 0) {
      const nested = fresh();
      top.items.at(-1)!.children.push(nested);
      stack.push(nested);
      top = nested;
    } else if (ordered !== top.ordered) {
      if (stack.length === 1) {
        out.push(listHtml(root!));
        root = fresh();
        stack = [root];
      } else {
        const nested = fresh();
        stack[stack.length - 2]!.items.at(-1)!.children.push(nested);
        stack[stack.length - 1] = nested;
      }
      top = stack.at(-1)!;
    }
    top.items.push({ text, children: [] });
  }
  if (root) out.push(listHtml(root));
  return i;
}
