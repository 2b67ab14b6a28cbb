// archiver 8 is ESM-only with a class API and ships no types; this covers what src/archive uses.
declare module 'archiver' {
  import type { Readable, Transform } from 'node:stream';

  export interface EntryData {
    name: string;
    date?: Date | string;
    mode?: number;
    prefix?: string;
    store?: boolean;
  }

  export interface ZipOptions {
    zlib?: { level?: number };
    store?: boolean;
    forceLocalTime?: boolean;
    forceZip64?: boolean;
  }

  export class ZipArchive extends Transform {
    constructor(options?: ZipOptions);
    append(source: Readable | Buffer | string, data: EntryData): this;
    file(filepath: string, data: EntryData): this;
    finalize(): Promise<void>;
    abort(): this;
    pointer(): number;
  }
}
