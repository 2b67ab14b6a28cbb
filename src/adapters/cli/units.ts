import { parseLocal } from '../../shared/clock.js';

/** Bytes in binary units, as `du -h` and `git count-objects -H` print them: 512 B, 1.5 KiB, 3.2 MiB, 1.1 GiB. */
export function humanBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${Math.round(n)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** A count with its noun, singular for exactly one: "1 file", "5,003 files", "0 sessions", "2 boxes" (`many`). */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

/**
 * The UTC offset (+02:00) the local date and time had on this machine (its time zone's rules for that day, so
 * summer and winter time come out right); undefined when they do not parse. session.yaml keeps local times
 * without an offset.
 */
export function utcOffset(date: string, time: string): string | undefined {
  const d = parseLocal(date, time);
  if (!d) return undefined;
  const off = -d.getTimezoneOffset();
  const abs = Math.abs(off);
  return `${off >= 0 ? '+' : '-'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** "2025-10-25 14:30:00 +02:00": a local date and time with its offset (without one when they do not parse). */
export function localStamp(date: string, time: string): string {
  const off = utcOffset(date, time);
  return off ? `${date} ${time} ${off}` : `${date} ${time}`;
}
