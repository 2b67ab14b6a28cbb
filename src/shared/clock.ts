import { settings } from './settings.js';

/**
 * The clock every timestamp comes from. SPECMAP_NOW (an ISO date-time, read as local time when it has no
 * offset) pins it, so tests and demos can assert exact ids, times and durations.
 */
export function now(): Date {
  const pinned = settings().now;
  return pinned ? new Date(pinned.getTime()) : new Date();
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** YYYY-MM-DD in local time, as the spec's session ids and folders use. */
export function localDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** HH:MM:SS in local time. */
export function localTime(d: Date): string {
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}


/** Seconds since the epoch, with the offset, as git's author/committer dates take it. */
export function gitDate(d: Date): string {
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  return `${Math.floor(d.getTime() / 1000)} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

/** Parses the spec's date ("2025-10-25") and time ("14:30:00") as local time; undefined when malformed. */
export function parseLocal(date: string, time: string): Date | undefined {
  const dm = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const tm = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!dm || !tm) return undefined;
  const d = new Date(+dm[1]!, +dm[2]! - 1, +dm[3]!, +tm[1]!, +tm[2]!, +(tm[3] ?? 0));
  return Number.isNaN(d.getTime()) ? undefined : d;
}
