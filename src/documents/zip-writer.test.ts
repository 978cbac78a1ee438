import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readZip } from '../../test/support/zip.ts';
import { writeZip, ZipWriteError } from './zip-writer.ts';

const ENTRIES = [
  { name: 'manifest.json', data: Buffer.from(JSON.stringify({ 案件: 'HD-621002-2025-000001' }).repeat(20)) },
  { name: 'documents/西峰核报〔2025〕1号.pdf', data: randomBytes(2048) },
  { name: 'empty.txt', data: Buffer.alloc(0) },
];

describe(writeZip.name, () => {
  it('writes members that read back with their bytes, UTF-8 names and the fixed timestamp', () => {
    const read = readZip(writeZip(ENTRIES));
    expect(read.map((entry) => entry.name)).toEqual(ENTRIES.map((entry) => entry.name));
    for (const [index, entry] of read.entries()) {
      expect(entry.data.equals(ENTRIES[index]!.data)).toBe(true);
      expect(entry.flags & 0x0800).toBe(0x0800);
      expect({ time: entry.dosTime, date: entry.dosDate }).toEqual({ time: 0, date: 0x21 });
    }
    // Text is deflated; random bytes, which deflate cannot shrink, are stored.
    expect(read.map((entry) => entry.method)).toEqual([8, 0, 0]);
  });

  it('gives the same bytes for the same entries', () => {
    const copy = ENTRIES.map((entry) => ({ name: entry.name, data: Buffer.from(entry.data) }));
    expect(writeZip(copy).equals(writeZip(ENTRIES))).toBe(true);
  });

  it('is read by the system unzip and by Python, Chinese names included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hedui-zip-'));
    try {
      const path = join(dir, 'a.zip');
      writeFileSync(path, writeZip(ENTRIES));
      expect(execFileSync('unzip', ['-t', path]).toString()).toContain('No errors detected');
      const names = execFileSync('python3', [
        '-c',
        'import sys, zipfile, json; z = zipfile.ZipFile(sys.argv[1]); z.testzip(); print(json.dumps(z.namelist()))',
        path,
      ]).toString('utf8');
      expect(JSON.parse(names)).toEqual(ENTRIES.map((entry) => entry.name));
      execFileSync('unzip', ['-q', path, '-d', join(dir, 'out')]);
      expect(
        readFileSync(join(dir, 'out', 'documents', '西峰核报〔2025〕1号.pdf')).equals(ENTRIES[1]!.data),
      ).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses names that would escape the folder or repeat', () => {
    for (const name of ['../x', '/etc/passwd', 'a//b', 'a\\b', 'documents/../../x', ''])
      expect(() => writeZip([{ name, data: Buffer.from('x') }])).toThrow(ZipWriteError);
    expect(() =>
      writeZip([
        { name: 'a.txt', data: Buffer.from('1') },
        { name: 'a.txt', data: Buffer.from('2') },
      ]),
    ).toThrow(/duplicate/);
  });
});
