/** Test support: the text of a PDF as poppler's pdftotext reads it, page by page. */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function pdfPages(pdf: Buffer): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'hedui-pdf-'));
  try {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    // pdftotext ends every page with a form feed.
    return text.split('\f').slice(0, -1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Without whitespace, so a sentence wrapped over lines (or cells) still matches. */
export function squeeze(value: string): string {
  return value.replace(/\s+/g, '');
}

/**
 * Reads back the QR code drawn at `area` (points) on one page: the page is rasterised in grey at four
 * pixels per point and each module's centre is sampled. Returns rows of booleans (dark = true).
 */
export function readQrModules(
  pdf: Buffer,
  page: number,
  area: { x: number; y: number; size: number },
  modules: number,
): boolean[][] {
  const dir = mkdtempSync(join(tmpdir(), 'hedui-qr-'));
  try {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, pdf);
    const scale = 4;
    const prefix = join(dir, 'page');
    execFileSync('pdftoppm', [
      '-r',
      String(72 * scale),
      '-gray',
      '-f',
      String(page),
      '-l',
      String(page),
      '-singlefile',
      file,
      prefix,
    ]);
    const image = readFileSync(`${prefix}.pgm`);
    // Binary PGM: "P5", width, height, maxval, one whitespace byte, then one byte per pixel.
    const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(image.subarray(0, 64).toString('latin1'));
    if (!header) throw new Error('pdftoppm did not write a binary PGM');
    const width = Number(header[1]);
    const pixels = image.subarray(header[0].length);
    const cell = area.size / modules;
    return Array.from({ length: modules }, (_, row) =>
      Array.from({ length: modules }, (_, column) => {
        const x = Math.round((area.x + (column + 0.5) * cell) * scale);
        const y = Math.round((area.y + (row + 0.5) * cell) * scale);
        return pixels[y * width + x]! < 128;
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
