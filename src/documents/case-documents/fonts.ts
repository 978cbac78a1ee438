/**
 * Fonts of the case documents. Names of applicants may hold rare characters (𠈌 U+2020C, 䶮, 龑 …),
 * so the default is Noto CJK from Debian's `fonts-noto-cjk` (2022-01 build, measured with fontkit):
 * the URO up to Unicode 10 (U+4E00–9FEA, all but the 21 code points added since), Extension A in
 * full up to U+4DB5, and about 2 100 of the 42 720 Extension B characters — those of the Chinese,
 * Hong Kong and Japanese standards, 𠈌 among them. Further fonts can be given as fallbacks and are used
 * only for the characters the main font lacks. A character no font has is an error: an official
 * document must never print a blank box in place of a name.
 */

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { AppError } from '../../domain/shared/errors.ts';

export interface FontSource {
  /** A .ttf/.otf file, or a .ttc collection together with the face's PostScript name. */
  path: string;
  postscriptName?: string;
}

export interface CaseDocumentFonts {
  /** Body text (宋体 style). */
  regular: FontSource;
  /** Title, headings, table headers (黑体 style). */
  bold: FontSource;
  /** Tried in order for characters the main fonts lack. */
  fallbacks?: FontSource[];
}

const NOTO = '/usr/share/fonts/opentype/noto';

export const DEFAULT_CASE_DOCUMENT_FONTS: CaseDocumentFonts = {
  regular: { path: `${NOTO}/NotoSerifCJK-Regular.ttc`, postscriptName: 'NotoSerifCJKsc-Regular' },
  bold: { path: `${NOTO}/NotoSansCJK-Bold.ttc`, postscriptName: 'NotoSansCJKsc-Bold' },
  // Hanazono (fonts-hanazono) covers CJK Extension B in full, when installed.
  fallbacks: [
    { path: '/usr/share/fonts/truetype/hanazono/HanaMinA.ttf' },
    { path: '/usr/share/fonts/truetype/hanazono/HanaMinB.ttf' },
  ],
};

/** The few members of a fontkit font this module reads. */
interface GlyphSource {
  hasGlyphForCodePoint(codePoint: number): boolean;
}

type Parsed = GlyphSource | { fonts: GlyphSource[] } | null;

// fontkit is pdfkit's own font parser: resolve it from pdfkit so the two share one instance.
const requireFromPdfkit = createRequire(createRequire(import.meta.url).resolve('pdfkit'));
const fontkit = requireFromPdfkit('fontkit') as {
  create(buffer: Uint8Array, postscriptName?: string): Parsed;
  registerFormat(format: unknown): void;
};

/*
 * pdfkit parses its fonts anew for every document, and decoding a CJK face (CFF with 65 000 glyphs,
 * GSUB, GPOS) costs most of a second each time. A parsed face is not changed by layout or subsetting,
 * so each face is parsed once per process: pdfkit is handed a small token instead of the font file,
 * and the font format registered here (fontkit's public `registerFormat`) answers the token with the
 * parsed face. No built-in format recognises a token, and no other buffer is a token.
 */
const parsedByToken = new Map<Uint8Array, GlyphSource>();

class ParsedFaceFormat {
  static probe(buffer: Uint8Array): boolean {
    return parsedByToken.has(buffer);
  }

  constructor(stream: { buffer: Uint8Array }) {
    // biome-ignore lint/correctness/noConstructorReturn: a format's constructor may return the font itself
    return parsedByToken.get(stream.buffer)!;
  }
}
fontkit.registerFormat(ParsedFaceFormat);

export interface LoadedFont {
  source: FontSource;
  /** What to hand to pdfkit's `registerFont` (without a family name). */
  token: Uint8Array;
  has(codePoint: number): boolean;
}

const cache = new Map<string, LoadedFont>();

function missingFont(source: FontSource): AppError {
  return new AppError(
    'INTERNAL_ERROR',
    `找不到文书字体文件：${source.path}。请安装 Debian/Ubuntu 软件包 fonts-noto-cjk（apt-get install fonts-noto-cjk），或在渲染参数中指定已安装的中文字体路径。`,
    { path: source.path },
  );
}

/** Reads a font once per process; `required` fonts that are missing raise a Chinese error naming the package. */
export function loadFont(source: FontSource, required: boolean): LoadedFont | null {
  const key = `${source.path}#${source.postscriptName ?? ''}`;
  const cached = cache.get(key);
  if (cached) return cached;
  if (!existsSync(source.path)) {
    if (required) throw missingFont(source);
    return null;
  }
  const data = readFileSync(source.path);
  const parsed = fontkit.create(data, source.postscriptName);
  if (!parsed || 'fonts' in parsed) {
    throw new AppError(
      'INTERNAL_ERROR',
      `字体文件 ${source.path} 是字体集合，需要指定集合中存在的字体 PostScript 名称（例如 NotoSerifCJKsc-Regular），当前为：${source.postscriptName ?? '未指定'}。`,
      { path: source.path },
    );
  }
  const token = new TextEncoder().encode(`hedui-parsed-font:${key}`);
  parsedByToken.set(token, parsed);
  const loaded: LoadedFont = { source, token, has: (codePoint) => parsed.hasGlyphForCodePoint(codePoint) };
  cache.set(key, loaded);
  return loaded;
}

/** Code points with no glyph in any of the fonts (controls and spaces need none). */
export function uncovered(text: string, fonts: readonly LoadedFont[]): number[] {
  const missing = new Set<number>();
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    if (codePoint < 0x21) continue;
    if (!fonts.some((font) => font.has(codePoint))) missing.add(codePoint);
  }
  return [...missing];
}

export function describeCodePoints(codePoints: readonly number[]): string {
  return codePoints
    .map((cp) => `${String.fromCodePoint(cp)}（U+${cp.toString(16).toUpperCase().padStart(4, '0')}）`)
    .join('、');
}
