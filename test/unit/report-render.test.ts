import { describe, expect, it } from 'vitest';
import { countTicks, shortLabel } from '../../src/domain/report/html.js';
import { inline, renderMarkdown } from '../../src/domain/report/markdown.js';

describe('the report\'s Markdown subset (session summaries)', () => {
  it('renders headings below the page\'s own, lists (nested, ordered, tasks), quotes, code, tables and rules', () => {
    const html = renderMarkdown([
      '# Title', '', '## What was done', '', '- Added **login** with `bcrypt`', '  - nested *item*', '- [x] tests', '- ',
      '', '3. third', '4. fourth', '', '> quoted _text_', '', '```js', 'const x = "<b>";', '```', '', '| a | b |', '|---|:-:|', '| 1 | `two` |',
      '', '---', 'Setext', '======', 'plain ~~old~~ text', 'continued',
    ].join('\n'));
    expect(html).toBe([
      '<h3>Title</h3>',
      '<h4>What was done</h4>',
      '<ul><li>Added <strong>login</strong> with <code>bcrypt</code><ul><li>nested <em>item</em></li></ul></li><li><span class="task">☑</span> tests</li></ul>',
      '<ol start="3"><li>third</li><li>fourth</li></ol>',
      '<blockquote><p>quoted <em>text</em></p></blockquote>',
      '<pre><code>const x = &quot;&lt;b&gt;&quot;;</code></pre>',
      '<div class="table"><table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td><code>two</code></td></tr></tbody></table></div>',
      '<hr>',
      '<h3>Setext</h3>',
      '<p>plain <del>old</del> text continued</p>',
    ].join('\n'));
  });

  it('escapes every character of HTML and links only to http(s) and mailto addresses', () => {
    expect(inline('<script>alert(1)</script> & "q" \'s\'')).toBe('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;s&#39;');
    expect(inline('[docs](https://example.com/a?b=1&c="2")')).toBe('<a href="https://example.com/a?b=1&amp;c=&quot;2&quot;" rel="noopener noreferrer">docs</a>');
    expect(inline('[docs](https://example.com/a?b=1&c=2)')).toBe('<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer">docs</a>');
    expect(inline('[bad](javascript:alert(1))')).toBe('bad (<code>javascript:alert(1)</code>)');
    expect(inline('[file](notes/a.md)')).toBe('file (<code>notes/a.md</code>)');
    expect(inline('![chart](https://example.com/x.png)')).toBe('[image: chart]'); // nothing is loaded
    expect(inline('<https://example.com>')).toBe('<a href="https://example.com" rel="noopener noreferrer">https://example.com</a>');
    expect(inline('`<b>` and \\*not em\\*')).toBe('<code>&lt;b&gt;</code> and *not em*');
    expect(inline('snake_case_name stays')).toBe('snake_case_name stays');
    expect(inline('\u0000 0 \u0000')).toBe(' 0 ');
    expect(renderMarkdown('<div onclick="x">hi</div>')).toBe('<p>&lt;div onclick=&quot;x&quot;&gt;hi&lt;/div&gt;</p>');
  });

  it('leaves an untouched template\'s empty items out', () => {
    expect(renderMarkdown('## Goals\n\n- \n\n## Done\n\n- ')).toBe('<h4>Goals</h4>\n<h4>Done</h4>');
    expect(renderMarkdown('')).toBe('');
  });
});

describe('chart helpers', () => {
  it('ticks are whole numbers from 0, at most six, the last at or above the largest value', () => {
    expect(countTicks(0)).toEqual([0, 1]);
    expect(countTicks(1)).toEqual([0, 1]);
    expect(countTicks(3)).toEqual([0, 1, 2, 3]);
    expect(countTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(countTicks(180)).toEqual([0, 50, 100, 150, 200]);
    expect(countTicks(1439)).toEqual([0, 500, 1000, 1500]);
    for (let max = 0; max <= 2000; max += 7) {
      const t = countTicks(max);
      expect(t.every(Number.isInteger) && t.length <= 6 && t.at(-1)! >= max).toBe(true);
    }
  });

  it('a long timeline label is cut at a word boundary and marked', () => {
    expect(shortLabel('short', 10)).toBe('short');
    expect(shortLabel('10-22 09:00–12:00 · design the public api surface', 30)).toBe('10-22 09:00–12:00 · design…');
    expect(shortLabel('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 10)).toBe('aaaaaaaaa…');
    for (let max = 12; max < 50; max += 1) {
      const text = 'ship the billing api with retries and idempotency keys for invoices';
      const label = shortLabel(text, max);
      expect(label.length).toBeLessThanOrEqual(max);
      const head = label.slice(0, -1);
      expect(text.startsWith(head) && [' ', '-'].includes(text[head.length]!)).toBe(true);
    }
  });
});
