import type { ExchangePersonInput } from '../api/exchange';

/** The columns of a persons list, in order, as users copy them from a spreadsheet. */
export const PERSON_HEADERS = ['案件编号', '身份证号', '姓名'] as const;

/**
 * Persons pasted from a spreadsheet (tab-separated) or typed as CSV: one per line, 案件编号, 身份证号, 姓名; a
 * header line naming those columns (in any order) sets the order. Blank lines are skipped; the server checks
 * every value.
 */
export function parsePersons(text: string): ExchangePersonInput[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  const split = (line: string) => (line.includes('\t') ? line.split('\t') : line.split(/[,，]/)).map(clean);
  let order = [0, 1, 2];
  const first = lines[0] === undefined ? [] : split(lines[0]);
  if (PERSON_HEADERS.every((header) => first.includes(header))) {
    order = PERSON_HEADERS.map((header) => first.indexOf(header));
    lines.shift();
  }
  return lines.map((line) => {
    const cells = split(line);
    const at = (i: number) => cells[order[i] ?? i] ?? '';
    return { caseRef: at(0), idNumber: at(1), name: at(2) };
  });
}

function clean(cell: string): string {
  return cell
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .replace(/^'/, '')
    .trim();
}
