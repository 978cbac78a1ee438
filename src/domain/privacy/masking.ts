/**
 * Masking of personal data for everyone outside a case's work group and for every list (issue #8 item 4). One
 * place: presenters, views and logs call these, never their own slicing. The masks keep enough to tell two rows
 * apart and to let a person recognise their own record, never enough to identify a stranger.
 */

/** 620102199001011234 → 6201**********1234: the first and last four characters. */
export function maskIdNumber(id: string): string {
  if (id.length <= 8) return '*'.repeat(id.length);
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}

/** Compound surnames (复姓) in use today: their holders keep both characters, as 欧阳** does. */
const COMPOUND_SURNAMES = new Set([
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '司空',
  '夏侯',
  '轩辕',
  '令狐',
  '钟离',
  '澹台',
  '端木',
  '独孤',
  '南宫',
  '西门',
  '万俟',
  '闻人',
  '赫连',
  '呼延',
  '申屠',
  '太史',
  '百里',
  '东郭',
  '拓跋',
]);

/** 张三 → 张*, 王建军 → 王**, 欧阳明华 → 欧阳**: the surname stays, every other character is a star. */
export function maskName(name: string): string {
  const characters = [...name.trim()];
  if (characters.length <= 1) return characters.length === 1 ? '*' : '';
  const keep = characters.length > 2 && COMPOUND_SURNAMES.has(characters.slice(0, 2).join('')) ? 2 : 1;
  return `${characters.slice(0, keep).join('')}${'*'.repeat(characters.length - keep)}`;
}

const PROVINCE = /^.{2,7}?(?:省|自治区|特别行政区)/u;
const PREFECTURE = /^[^区县旗]{1,9}?(?:自治州|地区|市|州|盟)/u;
const COUNTY = /^[^省]{1,20}?(?:自治县|自治旗|县|区|市|旗)/u;

/**
 * 甘肃省庆阳市西峰区长庆大道 12 号 → 甘肃省庆阳市西峰区***: cut after the county, which says where a family lives
 * without saying at which door. An address whose county cannot be told is hidden whole.
 */
export function maskAddress(address: string): string {
  let rest = address.replace(/\s+/g, '');
  if (rest === '') return '';
  let kept = '';
  for (const level of [PROVINCE, PREFECTURE]) {
    const m = level.exec(rest);
    if (m) {
      kept += m[0];
      rest = rest.slice(m[0].length);
    }
  }
  const county = COUNTY.exec(rest);
  if (county) return `${kept}${county[0]}***`;
  return kept === '' ? '***' : `${kept}***`;
}

/** Upper bounds (fen, exclusive) and labels of the buckets an amount is shown in outside the work group. */
export const AMOUNT_BUCKETS: readonly { belowFen: number; label: string }[] = [
  { belowFen: 1, label: '无' },
  { belowFen: 100_000, label: '1千元以下' },
  { belowFen: 1_000_000, label: '1千至1万元' },
  { belowFen: 5_000_000, label: '1万至5万元' },
  { belowFen: 10_000_000, label: '5万至10万元' },
  { belowFen: 50_000_000, label: '10万至50万元' },
  { belowFen: Number.POSITIVE_INFINITY, label: '50万元以上' },
];

/** An amount (integer fen) as its bucket: 3 456 789 fen → 1万至5万元. Negative amounts (debts) say so. */
export function amountBucket(fen: number): string {
  if (!Number.isInteger(fen)) throw new RangeError('amountBucket needs integer fen');
  if (fen < 0) return '负数（欠款）';
  return AMOUNT_BUCKETS.find((b) => fen < b.belowFen)?.label ?? '50万元以上';
}

/** Masks whatever is masked for the given kind of field; null stays null. */
export type MaskedField = 'idNumber' | 'name' | 'address';
export function maskField(kind: MaskedField, value: string | null): string | null {
  if (value === null) return null;
  switch (kind) {
    case 'idNumber':
      return maskIdNumber(value);
    case 'name':
      return maskName(value);
    case 'address':
      return maskAddress(value);
  }
}
