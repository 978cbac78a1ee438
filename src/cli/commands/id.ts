import type { Command } from 'commander';
import { parseIdNumber } from '../../domain/identity/id-number.ts';

/** One JSON object per input, fields always present so that `jq` and spreadsheets see a fixed shape. */
export function idCheckLines(inputs: string[], today?: string): { lines: string[]; allValid: boolean } {
  let allValid = true;
  const lines = inputs.map((input) => {
    const result = parseIdNumber(input, today === undefined ? {} : { today });
    if (!result.ok) allValid = false;
    return JSON.stringify({
      input,
      valid: result.ok,
      id18: result.ok ? result.id18 : null,
      birthDate: result.ok ? result.birthDate : null,
      sex: result.ok ? result.sex : null,
      regionCode: result.ok ? result.regionCode : null,
      error: result.ok ? null : result.code,
    });
  });
  return { lines, allValid };
}

export function registerIdCommands(program: Command): void {
  const id = program.command('id').description('居民身份证号码工具');
  id.command('check')
    .description('校验身份证号码（GB 11643-1999），每个号码输出一行 JSON；全部有效时退出码为 0')
    .argument('<id...>', '身份证号码，18 位或 15 位旧号码')
    .action((inputs: string[]) => {
      const { lines, allValid } = idCheckLines(inputs);
      for (const line of lines) process.stdout.write(`${line}\n`);
      process.exitCode = allValid ? 0 : 1;
    });
}
