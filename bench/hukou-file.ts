import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { computeCheckChar } from '../src/domain/identity/id-number.ts';

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国红梅玉珍文辉鹏飞燕霞宇浩然思雨欣怡子涵梓轩';
const COUNTIES = ['621002', '621021', '621022', '621023', '621024', '621025', '621026', '621027'];

/** A deterministic hukou CSV of `rows` distinct valid people (synthetic), for ingest benchmarks and crash tests. */
export async function writeHukouCsv(path: string, rows: number, seed = 1): Promise<void> {
  const out = createWriteStream(path);
  let state = seed >>> 0 || 1;
  const rand = (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
  out.write('身份证号,姓名,性别,出生日期,户号,与户主关系,户籍地址,户籍状态,状态变更日期\n');
  let buffer = '';
  for (let i = 0; i < rows; i++) {
    const county = COUNTIES[i % COUNTIES.length] as string;
    // (county, birth date, order code) is unique per row: n walks the order codes, then the dates.
    const n = Math.floor(i / COUNTIES.length);
    const birth = new Date(Date.UTC(1940, 0, 1) + Math.floor(n / 1000) * 97 * 86_400_000);
    const year = birth.getUTCFullYear();
    const month = String(birth.getUTCMonth() + 1).padStart(2, '0');
    const day = String(birth.getUTCDate()).padStart(2, '0');
    const seq = String(n % 1000).padStart(3, '0');
    const body = `${county}${year}${month}${day}${seq}`;
    const id = body + computeCheckChar(body);
    const sex = Number(seq[2]) % 2 === 1 ? '男' : '女';
    const name =
      (SURNAMES[rand(SURNAMES.length)] as string) +
      (GIVEN[rand(GIVEN.length)] as string) +
      (rand(2) ? (GIVEN[rand(GIVEN.length)] as string) : '');
    buffer += `${id},${name},${sex},${year}-${month}-${day},H${county}${String(Math.floor(i / 3)).padStart(8, '0')},,甘肃省庆阳市（合成）,正常,\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.write(buffer);
  out.end();
  await once(out, 'finish');
}
