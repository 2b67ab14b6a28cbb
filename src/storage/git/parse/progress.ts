/** One progress report of git (`--progress` on stderr): "Writing objects:  45% (450/1000), 1.20 MiB | 1.10 MiB/s". */
export interface GitProgress {
  /** git's name for the step, with "remote: " when the other side does it: "Writing objects", "remote: Counting objects". */
  step: string;
  done: number;
  /** 0 when git gives no total ("Enumerating objects: 1234"). */
  total: number;
  /** Bytes sent or received so far, when git says (as precisely as its two decimals allow). */
  bytes: number;
  /** The step's last report (", done."). */
  finished: boolean;
}

const UNIT: Record<string, number> = { bytes: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 };
const PROGRESS = /^((?:remote: )?[A-Z][A-Za-z ]*?): +(?:(\d+)% \((\d+)\/(\d+)\)|(\d+))(?:, ([\d.]+) (bytes|KiB|MiB|GiB|TiB)(?: \| [\d.]+ (?:bytes|KiB|MiB|GiB|TiB)\/s)?)?(, done\.)?\s*$/;

/** One segment of git's stderr (between \r and \n) read as progress, or undefined when it is anything else. */
export function parseGitProgress(segment: string): GitProgress | undefined {
  const m = PROGRESS.exec(segment);
  if (!m) return undefined;
  const done = Number(m[3] ?? m[5]);
  return {
    step: m[1]!,
    done,
    total: m[4] !== undefined ? Number(m[4]) : 0,
    bytes: m[6] !== undefined ? Math.round(Number(m[6]) * UNIT[m[7]!]!) : 0,
    finished: m[8] !== undefined,
  };
}

/**
 * Reads git's stderr as it comes: progress segments (git redraws them with \r) go to `onProgress`, everything else
 * is kept, line by line, as the stderr the caller reads for messages.
 */
export class ProgressSplitter {
  private pending = '';
  private kept: string[] = [];

  constructor(private readonly onProgress: (p: GitProgress) => void) {}

  feed(text: string): void {
    this.pending += text;
    let at: number;
    while ((at = this.pending.search(/[\r\n]/)) !== -1) {
      const segment = this.pending.slice(0, at);
      const newline = this.pending[at] === '\n';
      this.pending = this.pending.slice(at + 1);
      const p = parseGitProgress(segment);
      if (p) this.onProgress(p);
      else if (segment.trim() !== '' || newline) this.kept.push(segment);
    }
  }

  /** Everything that was not progress, as lines. */
  rest(): string {
    const tail = this.pending;
    this.pending = '';
    const p = tail ? parseGitProgress(tail) : undefined;
    if (p) this.onProgress(p);
    else if (tail) this.kept.push(tail);
    return this.kept.length > 0 ? `${this.kept.join('\n')}\n` : '';
  }
}
