import { describe, expect, it } from 'vitest';
import { compareNames, namePinyin, normalizeName, prepareName } from './names.ts';

describe(normalizeName.name, () => {
  it('converts traditional characters to simplified ones', () => {
    expect(normalizeName('張三')).toBe('张三');
    expect(normalizeName('劉德華')).toBe('刘德华');
    expect(normalizeName('陳麗')).toBe('陈丽');
  });

  it('removes half-width, ideographic and non-breaking spaces anywhere in the name', () => {
    expect(normalizeName(' 张 三 ')).toBe('张三');
    expect(normalizeName('张\u3000三')).toBe('张三');
    expect(normalizeName('张\u00A0\t三\n')).toBe('张三');
  });

  it('removes zero-width characters and byte order marks', () => {
    expect(normalizeName('\uFEFF张\u200B三\u200D\u2060')).toBe('张三');
  });

  it('turns full-width letters into half-width lower case', () => {
    expect(normalizeName('ＪＯＨＮ ＳＭＩＴＨ')).toBe('johnsmith');
  });

  it('writes every kind of middle dot as the standard one', () => {
    for (const dot of ['·', '•', '‧', '・', '･', '.', '．', '-']) {
      expect(normalizeName(`阿卜杜${dot}热合曼`), dot).toBe('阿卜杜·热合曼');
    }
  });

  it('collapses repeated dots and drops dots at either end', () => {
    expect(normalizeName('·阿卜杜 ·· 热合曼·')).toBe('阿卜杜·热合曼');
  });

  it('drops the apostrophe spreadsheets put in front of text', () => {
    expect(normalizeName("'张三")).toBe('张三');
  });

  it('keeps 於 and 乾, which are separate characters in mainland names', () => {
    expect(normalizeName('於梨華')).toBe('於梨华');
    expect(normalizeName('張乾')).toBe('张乾');
  });

  it('returns an empty string for blank input', () => {
    expect(normalizeName('')).toBe('');
    expect(normalizeName(' \u3000\u200B ')).toBe('');
  });
});

describe(namePinyin.name, () => {
  it('gives toneless syllables for each character', () => {
    expect(namePinyin('张伟')).toEqual(['zhang', 'wei']);
  });

  it('reads polyphonic surnames with their surname reading', () => {
    expect(namePinyin('单伟')).toEqual(['shan', 'wei']);
    expect(namePinyin('曾伟')).toEqual(['zeng', 'wei']);
    expect(namePinyin('解伟')).toEqual(['xie', 'wei']);
    expect(namePinyin('仇伟')).toEqual(['qiu', 'wei']);
  });

  it('reads the simplified form of a traditional name', () => {
    expect(namePinyin('單偉')).toEqual(['shan', 'wei']);
  });

  it('leaves the middle dot out of a minority name', () => {
    expect(namePinyin('阿卜杜·热合曼')).toEqual(['a', 'bu', 'du', 're', 'he', 'man']);
  });

  it('keeps letters that are not Chinese as they are', () => {
    expect(namePinyin('John')).toEqual(['j', 'o', 'h', 'n']);
  });

  it('returns nothing for an empty name', () => {
    expect(namePinyin('')).toEqual([]);
  });
});

describe(compareNames.name, () => {
  it('calls identical names exact', () => {
    expect(compareNames('张三', '张三').kind).toBe('exact');
  });

  it.each([
    ['張三', '张三'],
    ['劉德華', '刘德华'],
    ['陳', '陈'],
    ['麗', '丽'],
    ['陳麗華', '陈丽华'],
  ])('calls the traditional %s and the simplified %s variants', (traditional, simplified) => {
    const comparison = compareNames(traditional, simplified);
    expect(comparison.kind).toBe('variant');
    expect(comparison.detail).toContain('繁简体');
  });

  it.each([
    ['张 三', '张三'],
    ['张\u3000三', '张三'],
    [' 张三 ', '张三'],
    ['张三\u200B', '张三'],
    ['張 三', '张三'],
  ])('calls %j and %j variants because of stray spaces or invisible characters', (a, b) => {
    expect(compareNames(a, b).kind).toBe('variant');
  });

  it('calls full-width and half-width Latin names variants', () => {
    expect(compareNames('ＭＡＲＹ', 'Mary').kind).toBe('variant');
  });

  it('calls minority names variants whatever middle dot they use', () => {
    expect(compareNames('阿卜杜·热合曼', '阿卜杜•热合曼').kind).toBe('variant');
    expect(compareNames('阿卜杜‧热合曼', '阿卜杜・热合曼').kind).toBe('variant');
  });

  it('calls a minority name with its middle dot dropped a variant', () => {
    const comparison = compareNames('阿卜杜·热合曼', '阿卜杜热合曼');
    expect(comparison.kind).toBe('variant');
    expect(comparison.detail).toContain('间隔号');
  });

  it.each([
    ['张伟', '张玮'],
    ['李丽', '李莉'],
    ['王静', '王婧'],
    ['刘明', '刘铭'],
    ['陈晓燕', '陈小艳'],
  ])('calls %s and %s homophones', (a, b) => {
    expect(compareNames(a, b).kind).toBe('homophone');
  });

  it('names the characters that sound alike and their reading', () => {
    expect(compareNames('张伟', '张玮').detail).toContain('伟/玮（wei）');
  });

  it('finds a homophone in a traditional name', () => {
    expect(compareNames('張偉', '张玮').kind).toBe('homophone');
  });

  it.each([
    ['单伟', '善伟', 'shan'],
    ['曾伟', '增伟', 'zeng'],
    ['解伟', '谢伟', 'xie'],
  ])('reads the surname in %s as %s does (%s)', (a, b, reading) => {
    const comparison = compareNames(a, b);
    expect(comparison.kind).toBe('homophone');
    expect(comparison.detail).toContain(reading);
  });

  it('keeps polyphonic surnames homophones when the given name is a homophone', () => {
    expect(compareNames('单伟', '单玮').kind).toBe('homophone');
    expect(compareNames('曾丽', '曾莉').kind).toBe('homophone');
    expect(compareNames('解静', '解婧').kind).toBe('homophone');
  });

  it('does not give a surname its non-surname readings', () => {
    expect(compareNames('单伟', '丹伟').kind).toBe('partial');
    expect(compareNames('曾伟', '层伟').kind).toBe('partial');
    expect(compareNames('解伟', '姐伟').kind).toBe('partial');
  });

  it('accepts any shared reading of a polyphonic character in the given name', () => {
    expect(compareNames('张乐', '张勒').kind).toBe('homophone');
    expect(compareNames('李倩', '李茜').kind).toBe('homophone');
  });

  it('calls names with one different-sounding character partial', () => {
    expect(compareNames('张伟', '张强').kind).toBe('partial');
    expect(compareNames('张伟', '李伟').kind).toBe('partial');
  });

  it('calls a name with one character added partial', () => {
    expect(compareNames('张伟', '张伟明').kind).toBe('partial');
    expect(compareNames('张明伟', '张伟').kind).toBe('partial');
  });

  it('calls names with two different characters different', () => {
    expect(compareNames('张伟', '李强').kind).toBe('different');
    expect(compareNames('张伟明', '张强国').kind).toBe('different');
  });

  it('never matches empty names, even with each other', () => {
    expect(compareNames('', '').kind).toBe('different');
    expect(compareNames('张三', '').kind).toBe('different');
    expect(compareNames(' \u3000', '张三').kind).toBe('different');
  });

  it('never matches names without letters or placeholders', () => {
    expect(compareNames('???', '???').kind).toBe('different');
    expect(compareNames('123', '123').kind).toBe('different');
    expect(compareNames('不详', '不详').kind).toBe('different');
    expect(compareNames('·', '·').kind).toBe('different');
  });

  it('handles characters outside the basic plane without breaking', () => {
    expect(compareNames('张𠀋', '张𠀋').kind).toBe('exact');
    expect(compareNames('张𠀋', '張𠀋').kind).toBe('variant');
    expect(compareNames('张𠀋', '张伟').kind).toBe('partial');
  });

  it('compares prepared names the same as strings', () => {
    expect(compareNames(prepareName('張偉'), prepareName('张玮')).kind).toBe('homophone');
    expect(compareNames(prepareName('張三'), '张三').kind).toBe('variant');
  });
});
