import { SpecmapError } from './errors.js';

/**
 * Splits a command line as a POSIX shell would for words: whitespace separates, single quotes keep everything,
 * double quotes keep everything but `\"` and `\\`, a backslash outside quotes escapes the next character. So
 * `'/opt/my tools/specmap' mcp` is two words, not three.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new SpecmapError('INVALID_INPUT', `unmatched ' in ${JSON.stringify(line)}`, { kind: 'command' });
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      for (; j < line.length && line[j] !== '"'; j++) text += line[j] === '\\' && (line[j + 1] === '"' || line[j + 1] === '\\') ? line[++j] : line[j];
      if (j >= line.length) throw new SpecmapError('INVALID_INPUT', `unmatched " in ${JSON.stringify(line)}`, { kind: 'command' });
      word = (word ?? '') + text;
      i = j;
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}
