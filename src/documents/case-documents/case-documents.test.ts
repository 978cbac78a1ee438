import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import QRCode from 'qrcode';
import { beforeAll, describe, expect, it } from 'vitest';
import * as fixtures from './case-documents.fixture.ts';
import { EXTENSION_RULE } from './extension-notice.ts';
import { DEFAULT_CASE_DOCUMENT_FONTS, loadFont } from './fonts.ts';
import {
  FORCE_MAJEURE_CHOICE,
  FORCE_MAJEURE_NOTICE_TITLE,
  TERMINATION_NOTICE_TITLE,
} from './force-majeure.ts';
import { renderCaseDocument, VERIFY_STATEMENT } from './index.ts';
import { FOOTER_QR } from './layout.ts';
import { pdfPages, readQrModules, squeeze } from './pdf-readback.fixture.ts';
import { SUSPENSION_GROUND_TEXT, SUSPENSION_RECOMMENDATION } from './suspension-notice.ts';
import type { CaseDocumentInput } from './types.ts';
import { REPORT_STATEMENT } from './verification-report.ts';

async function render(input: CaseDocumentInput) {
  const result = await renderCaseDocument(input);
  const pages = pdfPages(result.pdf);
  return { ...result, pages, text: squeeze(pages.join('\n')) };
}

/** Every string must appear in the extracted text (whitespace ignored, so wrapped lines still count). */
function expectText(text: string, expected: readonly string[]): void {
  for (const value of expected) expect(text).toContain(squeeze(value));
}

function expectCommon(text: string, input: CaseDocumentInput, pages: number): void {
  expectText(text, [
    input.agencyName,
    input.documentNumber,
    `${input.recipient}：`,
    '（盖章）',
    `核验码：${input.verification.code}`,
    input.verification.url,
    VERIFY_STATEMENT,
    `第1页共${pages}页`,
  ]);
}

describe(renderCaseDocument.name, () => {
  // The first document of a process parses the CJK fonts (about a second); the tests time the rest.
  beforeAll(() => renderCaseDocument(fixtures.reviewResult));

  it('renders the receipt with the case, the dates and the work group', async () => {
    const { text, pages } = await render(fixtures.receipt);
    expectCommon(text, fixtures.receipt, pages.length);
    expectText(text, [
      '居民家庭经济状况核对受理回执',
      'HD-620102-2026-000153',
      `申请人${fixtures.RARE_NAME}`,
      '家庭成员人数4人',
      '最低生活保障',
      '收到委托日期2026年3月10日',
      '受理日期2026年3月12日',
      '2026年3月23日前（受理后7个工作日内）',
      '李堃赟、张旸昇',
    ]);
  });

  it('renders the return notice with every reason', async () => {
    const { text, pages } = await render(fixtures.returnNotice);
    expectCommon(text, fixtures.returnNotice, pages.length);
    expectText(text, [
      '核对委托退回补正通知书',
      '刘珺琇',
      ...fixtures.returnNotice.reasons.map((r, i) => `${i + 1}.${r}`),
    ]);
  });

  it('renders the extension notice with its days, new due date and the rule of Q§17', async () => {
    const { text, pages } = await render(fixtures.extensionNotice);
    expectCommon(text, fixtures.extensionNotice, pages.length);
    expectText(text, [
      '居民家庭经济状况核对延期告知书',
      fixtures.extensionNotice.reason,
      '原定报告期限2026年3月23日',
      '延期天数5个工作日',
      '延期后报告期限2026年3月30日',
      EXTENSION_RULE,
    ]);
  });

  it('refuses an extension beyond 5 working days', async () => {
    await expect(
      renderCaseDocument({ ...fixtures.extensionNotice, extensionWorkingDays: 6 }),
    ).rejects.toThrow(/第十七条/);
  });

  it('renders the suspension notice as a recommendation, not a decision', async () => {
    const { text, pages } = await render(fixtures.suspensionNotice);
    expectCommon(text, fixtures.suspensionNotice, pages.length);
    expectText(text, [
      '居民家庭经济状况核对中止通知书',
      SUSPENSION_GROUND_TEXT['concealment-or-false-materials'],
      SUSPENSION_GROUND_TEXT['refusal-to-cooperate'],
      fixtures.suspensionNotice.reasons,
      SUSPENSION_RECOMMENDATION,
    ]);
    expect(text).not.toContain(squeeze(SUSPENSION_GROUND_TEXT['programme-rule']));
    for (const decision of ['不予救助', '不符合救助条件', '取消救助', '不予批准'])
      expect(text).not.toContain(decision);
  });

  it('requires the rule relied on when a programme rule is the ground', async () => {
    await expect(
      renderCaseDocument({
        ...fixtures.suspensionNotice,
        grounds: ['programme-rule'],
        programmeRule: undefined,
      }),
    ).rejects.toThrow(/规定/);
  });

  it('renders the force-majeure notice asking the requester to choose, and the termination notice', async () => {
    const notice = await render(fixtures.forceMajeureNotice);
    expectCommon(notice.text, fixtures.forceMajeureNotice, notice.pages.length);
    expectText(notice.text, [
      FORCE_MAJEURE_NOTICE_TITLE,
      fixtures.RARE_NAME,
      fixtures.forceMajeureNotice.event,
      '2026年3月23日',
      '第十七条第二款',
      FORCE_MAJEURE_CHOICE,
    ]);
    const termination = await render(fixtures.terminationNotice);
    expectCommon(termination.text, fixtures.terminationNotice, termination.pages.length);
    expectText(termination.text, [
      TERMINATION_NOTICE_TITLE,
      fixtures.RARE_NAME,
      '城核告〔2026〕0001号',
      '2026年3月16日',
      fixtures.terminationNotice.requestReason,
      '不出具核对报告',
    ]);
    await expect(renderCaseDocument({ ...fixtures.forceMajeureNotice, event: ' ' })).rejects.toThrow(
      /不可抗力/,
    );
  });

  it('renders an extension after force majeure beyond 5 days, naming the requester’s request', async () => {
    const input = {
      ...fixtures.extensionNotice,
      extensionWorkingDays: 10,
      newDueOn: '2026-04-07',
      forceMajeure: { requestedOn: '2026-03-16' },
    };
    const { text } = await render(input);
    expectText(text, ['第十七条第二款', '2026年3月16日', '10 个工作日', '2026年4月7日']);
    await expect(renderCaseDocument({ ...input, forceMajeure: undefined })).rejects.toThrow(/1 至 5/);
  });

  it('renders the report with masked IDs, amounts in yuan, sources and the statement of Q§19', async () => {
    const { text, pages } = await render(fixtures.report);
    expectCommon(text, fixtures.report, pages.length);
    expectText(text, [
      '居民家庭经济状况核对报告',
      'HD-620102-2026-000153',
      '委托单位兰州市城关区民政局',
      '2025年3月至2026年2月（共12个月）',
      `1${fixtures.RARE_NAME}6201**********1234本人是是`,
      '2李堃赟6201**********002X配偶是是',
      '4王喆6201**********1111父母否否',
      `${fixtures.RARE_NAME}36,123.450.001,200.00-456.000.0036,867.45`,
      '家庭合计60,123.4512,345.671,200.00-456.0050.0073,263.12',
      '家庭收入合计73,263.12元，家庭月人均收入2,035.09元',
      '银行存款等金融资产87,654.32元',
      '车辆1辆',
      '2处，建筑面积合计156.32m²',
      '市场主体1个',
      `1${fixtures.RARE_NAME}工资性收入12,000.0012,860.55+860.55提示`,
      '2李堃赟财产净收入12,001.3711,958.16-43.21关注',
      '李堃赟：婚姻登记显示2019年已离婚',
      '市人力资源和社会保障局社会保险缴费B-20260305-00312026-02-28',
      '市自然资源局不动产登记Q-20260312-00072026-03-12',
      '市公安局交警支队车辆登记查询接口超时（已重试3次）',
      fixtures.report.policyVersionLabel,
      '经办人：李堃赟',
      '复核人：张旸昇',
      REPORT_STATEMENT,
    ]);
    for (const member of fixtures.report.members) expect(text).not.toContain(member.idNumber);
  });

  it('repeats the header row of a long discrepancy table on every page it spans', async () => {
    const rows = fixtures.discrepancies(120);
    const { pages, text } = await render({ ...fixtures.report, discrepancies: rows });
    expect(pages.length).toBeGreaterThanOrEqual(4);
    const withRows = pages.filter((page) => /[+-]\d[\d,]*\.\d\d\s+(提示|关注|严重)/.test(page));
    expect(withRows.length).toBeGreaterThanOrEqual(3);
    for (const page of withRows) expect(squeeze(page)).toContain('序号成员项目申报核对所得差额程度');
    expect(text.match(/\+860\.55/g)).toHaveLength(60);
    expect(text.match(/-43\.21/g)).toHaveLength(60);
    expectText(text, [`120${fixtures.OTHER_RARE_NAMES[4]}银行存款`, REPORT_STATEMENT]);
  });

  it('renders the review result with both report numbers', async () => {
    const { text, pages } = await render(fixtures.reviewResult);
    expectCommon(text, fixtures.reviewResult, pages.length);
    expectText(text, [
      '居民家庭经济状况核对复核结果告知书',
      '申诉日期2026年3月25日',
      '刘珺琇、赵璟龑',
      '原核对报告编号城核报〔2026〕0153号',
      '复核后核对报告编号城核报〔2026〕0171号',
      fixtures.reviewResult.resultSummary,
    ]);
  });

  it('gives the same bytes and SM3 for the same input', async () => {
    const first = await renderCaseDocument(fixtures.receipt);
    const second = await renderCaseDocument(structuredClone(fixtures.receipt));
    expect(first.sm3).toMatch(/^[0-9a-f]{64}$/);
    expect(first.sm3).toBe(createHash('sm3').update(first.pdf).digest('hex'));
    expect(second.sm3).toBe(first.sm3);
    expect(second.pdf.equals(first.pdf)).toBe(true);
    const other = await renderCaseDocument({
      ...fixtures.receipt,
      verification: { code: 'K7M2-Q9XB', url: 'x' },
    });
    expect(other.sm3).not.toBe(first.sm3);
  });

  it('draws a QR code of the verification URL on every page', async () => {
    const input = { ...fixtures.report, discrepancies: fixtures.discrepancies(40) };
    const result = await renderCaseDocument(input);
    expect(result.pages).toBeGreaterThan(1);
    const qr = QRCode.create(input.verification.url, { errorCorrectionLevel: 'M' });
    const size = qr.modules.size;
    const expected = Array.from({ length: size }, (_, row) =>
      Array.from({ length: size }, (_, column) => qr.modules.get(row, column) === 1),
    );
    for (const page of [1, result.pages]) {
      expect(readQrModules(result.pdf, page, FOOTER_QR, size)).toEqual(expected);
    }
  });

  it('names the font package when the font file is missing', async () => {
    await expect(
      renderCaseDocument(fixtures.receipt, {
        fonts: { regular: { path: '/nonexistent/NotoSerifCJK-Regular.ttc' } },
      }),
    ).rejects.toThrow(/fonts-noto-cjk/);
  });

  it('asks for the face name of a font collection', async () => {
    const collection = { path: DEFAULT_CASE_DOCUMENT_FONTS.regular.path };
    await expect(renderCaseDocument(fixtures.receipt, { fonts: { regular: collection } })).rejects.toThrow(
      /PostScript/,
    );
  });

  it('refuses a character no installed font can show instead of printing a blank box', async () => {
    // U+30000 (CJK Extension G) is outside Noto CJK.
    await expect(renderCaseDocument({ ...fixtures.receipt, applicantName: '王\u{30000}' })).rejects.toThrow(
      /U\+30000/,
    );
  });

  it.skipIf(!existsSync('/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'))(
    'takes the characters the main font lacks from a fallback font',
    async () => {
      const result = await renderCaseDocument(fixtures.receipt, {
        fonts: {
          regular: { path: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf' },
          bold: { path: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf' },
          fallbacks: [DEFAULT_CASE_DOCUMENT_FONTS.regular],
        },
      });
      expectText(squeeze(pdfPages(result.pdf).join('')), [
        `申请人${fixtures.RARE_NAME}`,
        'HD-620102-2026-000153',
      ]);
      // Font dictionaries are not compressed: both faces are embedded under their subset names.
      const raw = result.pdf.toString('latin1');
      expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
      expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSerifCJKsc-Regular/);
    },
  );
});

describe('default fonts', () => {
  it('cover the rare characters of applicants’ names', () => {
    const rare = [...'𠈌䶮堃赟旸昇喆玥珺琇璟龑'].map((char) => char.codePointAt(0)!);
    for (const source of [DEFAULT_CASE_DOCUMENT_FONTS.regular, DEFAULT_CASE_DOCUMENT_FONTS.bold]) {
      const font = loadFont(source, true)!;
      expect(rare.filter((codePoint) => !font.has(codePoint))).toEqual([]);
    }
  });
});
