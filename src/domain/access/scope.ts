/**
 * Data scope (SPEC §1): a user sees their organisation's region and everything below it.
 * Region codes nest by prefix: province 62xxxx → "62", city 6210xx → "6210", county 621002 → "621002",
 * township 621002001 (nine digits, below its county) → itself.
 */
export function regionScopePrefix(code: string): string {
  if (code.length === 6) {
    if (code.endsWith('0000')) return code.slice(0, 2);
    if (code.endsWith('00')) return code.slice(0, 4);
  }
  return code;
}

export function isInRegionScope(code: string, scopeCode: string | null): boolean {
  if (scopeCode === null) return true;
  return code.startsWith(regionScopePrefix(scopeCode));
}
