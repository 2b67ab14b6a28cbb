import { DAILY_BACKUPS_DIR, MILESTONE_BACKUPS_DIR } from '../../shared/layout.js';
import { SpecmapError } from '../../shared/errors.js';

/** The spec's daily items; `backup: {daily_items: [...]}` in 04-agents/config.yaml replaces the list. */
export const DEFAULT_DAILY_ITEMS = [
  '00-governance',
  '01-specifications',
  '02-planning',
  '03-implementation',
  '04-agents/session-summaries',
  '04-agents/sessions/archive',
  'TRACKING.md',
  'PROJECT-STATUS.md',
];

export const dailyDir = (date: string) => `${DAILY_BACKUPS_DIR}/${date}`;
export const dailyZip = (date: string) => `${dailyDir(date)}/backup.zip`;
export const dailyManifest = (date: string) => `${dailyDir(date)}/manifest.json`;
export const dailyRef = (date: string) => `refs/backups/daily/${date}`;

export const milestoneZip = (name: string) => `${MILESTONE_BACKUPS_DIR}/${name}.zip`;
export const milestoneManifest = (name: string) => `${MILESTONE_BACKUPS_DIR}/${name}.manifest.json`;
export const milestoneTag = (name: string) => `milestones/${name}`;

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Milestone names become a file name and a tag name: letters, digits, `.`, `_`, `-`; no `..`, no `.lock`. */
export function checkMilestoneName(name: string): string {
  if (!NAME_RE.test(name) || name.includes('..') || name.endsWith('.lock') || name.endsWith('.')) {
    throw new SpecmapError(
      'INVALID_INPUT',
      `invalid milestone name ${JSON.stringify(name.slice(0, 60))}: use letters, digits, '.', '_' and '-' (e.g. v1.0-release)`,
    );
  }
  return name;
}

export function checkDate(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    throw new SpecmapError('INVALID_INPUT', `invalid date ${JSON.stringify(date.slice(0, 40))}: use YYYY-MM-DD`);
  }
  return date;
}
