/** Where a command's output goes: human text, or one JSON document under --json. Warnings always go to stderr. */
export interface Output {
  readonly json: boolean;
  /** Prints a line of human output (ignored under --json). */
  line(text?: string): void;
  /** Prints the command's result: JSON under --json, otherwise the rendered text. */
  result<T>(value: T, render: (value: T) => string): void;
  warn(text: string): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    line(text = '') {
      if (!json) process.stdout.write(`${text}\n`);
    },
    result(value, render) {
      if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      else {
        const text = render(value);
        if (text.length > 0) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      }
    },
    warn(text) {
      process.stderr.write(`specmap: warning: ${text}\n`);
    },
  };
}

/** Options every command gets from the global flags. */
export interface CommandContext {
  /** The directory to run in (-C), or undefined for the process's cwd. */
  cwd: string | undefined;
  out: Output;
}
