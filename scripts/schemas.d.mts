// Types of scripts/schemas.mjs, for the test that imports it.
export function verbOf(exportName: string): string;
export function schemaFiles(modules: Record<string, Record<string, unknown>>): Map<string, string>;
export function loadContracts(dir: string, ext?: string): Promise<Record<string, Record<string, unknown>>>;
export const SCHEMAS_DIR: string;
