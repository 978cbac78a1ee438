import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { idCheckLines, registerIdCommands } from './id.ts';

const TODAY = '2024-06-15';

describe(idCheckLines.name, () => {
  it('prints a valid number with every field filled and error null', () => {
    const { lines, allValid } = idCheckLines(['11010519491231002x'], TODAY);
    expect(allValid).toBe(true);
    expect(lines).toEqual([
      '{"input":"11010519491231002x","valid":true,"id18":"11010519491231002X","birthDate":"1949-12-31","sex":"F","regionCode":"110105","error":null}',
    ]);
  });

  it('prints an invalid number with null fields and the error code, and reports not all valid', () => {
    const { lines, allValid } = idCheckLines(
      ['11010519491231002X', '3.30106E+17', '621002202406160018'],
      TODAY,
    );
    expect(allValid).toBe(false);
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ valid: true, error: null }),
      {
        input: '3.30106E+17',
        valid: false,
        id18: null,
        birthDate: null,
        sex: null,
        regionCode: null,
        error: 'BAD_CHARACTER',
      },
      expect.objectContaining({ valid: false, error: 'BAD_BIRTH_DATE' }),
    ]);
  });

  it('converts a legacy number to its 18-digit form', () => {
    const [line] = idCheckLines(['621002850615002'], TODAY).lines;
    expect(JSON.parse(line ?? '')).toMatchObject({ valid: true, id18: '621002198506150029', sex: 'F' });
  });
});

describe(registerIdCommands.name, () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  async function run(...ids: string[]): Promise<string[]> {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const program = new Command().exitOverride();
    registerIdCommands(program);
    await program.parseAsync(['id', 'check', ...ids], { from: 'user' });
    return written.join('').trimEnd().split('\n');
  }

  it('exits 0 and prints one line per input when every number is valid', async () => {
    const lines = await run('11010519491231002X', '440524188001010014');
    expect(lines).toHaveLength(2);
    expect(process.exitCode).toBe(0);
  });

  it('exits 1 when any number is invalid', async () => {
    const lines = await run('11010519491231002X', '110105194912310021');
    expect(JSON.parse(lines[1] ?? '')).toMatchObject({ valid: false, error: 'BAD_CHECK_DIGIT' });
    expect(process.exitCode).toBe(1);
  });
});
