/** "Name <email>" from `git var GIT_AUTHOR_IDENT` output ("Name <email> <epoch> <tz>"); undefined when not of that form. */
export function parseIdent(stdout: string): string | undefined {
  const m = /^(.*<[^>]*>)/.exec(stdout.trim());
  return m?.[1]?.trim();
}
