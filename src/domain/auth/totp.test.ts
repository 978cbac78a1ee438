import { describe, expect, it } from 'vitest';
import {
  base32Decode,
  base32Encode,
  hotp,
  matchTotp,
  otpauthUri,
  type TotpAlgorithm,
  totpAt,
} from './totp.ts';

// RFC 6238 Appendix B: the seeds are the ASCII digits repeated to the hash's key length; 8-digit codes.
const SEEDS: Record<TotpAlgorithm, Buffer> = {
  sha1: Buffer.from('12345678901234567890'),
  sha256: Buffer.from('12345678901234567890123456789012'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};
const VECTORS: [number, TotpAlgorithm, string][] = [
  [59, 'sha1', '94287082'],
  [59, 'sha256', '46119246'],
  [59, 'sha512', '90693936'],
  [1111111109, 'sha1', '07081804'],
  [1111111109, 'sha256', '68084774'],
  [1111111109, 'sha512', '25091201'],
  [1111111111, 'sha1', '14050471'],
  [1111111111, 'sha256', '67062674'],
  [1111111111, 'sha512', '99943326'],
  [1234567890, 'sha1', '89005924'],
  [1234567890, 'sha256', '91819424'],
  [1234567890, 'sha512', '93441116'],
  [2000000000, 'sha1', '69279037'],
  [2000000000, 'sha256', '90698825'],
  [2000000000, 'sha512', '38618901'],
  [20000000000, 'sha1', '65353130'],
  [20000000000, 'sha256', '77737706'],
  [20000000000, 'sha512', '47863826'],
];

describe('TOTP (RFC 6238)', () => {
  it.each(VECTORS)('at %i s with %s gives %s', (seconds, algorithm, code) => {
    expect(totpAt(SEEDS[algorithm], seconds * 1000, { algorithm, digits: 8 })).toBe(code);
  });

  it('gives the RFC 4226 HOTP values for counters 0–9', () => {
    const expected = [
      '755224',
      '287082',
      '359152',
      '969429',
      '338314',
      '254676',
      '287922',
      '162583',
      '399871',
      '520489',
    ];
    expect(expected.map((_, i) => hotp(SEEDS.sha1, i))).toEqual(expected);
  });

  it('accepts a code one step either side of now, not two', () => {
    const now = 1_700_000_000_000;
    const step = Math.floor(now / 30_000);
    for (const delta of [-1, 0, 1])
      expect(matchTotp(SEEDS.sha1, hotp(SEEDS.sha1, step + delta), now)).toBe(step + delta);
    for (const delta of [-2, 2])
      expect(matchTotp(SEEDS.sha1, hotp(SEEDS.sha1, step + delta), now)).toBeNull();
  });

  it('refuses a code of a step already used, or older', () => {
    const now = 1_700_000_000_000;
    const step = Math.floor(now / 30_000);
    const code = hotp(SEEDS.sha1, step);
    expect(matchTotp(SEEDS.sha1, code, now, { lastUsedStep: step })).toBeNull();
    expect(matchTotp(SEEDS.sha1, hotp(SEEDS.sha1, step - 1), now, { lastUsedStep: step - 1 })).toBeNull();
    expect(matchTotp(SEEDS.sha1, code, now, { lastUsedStep: step - 1 })).toBe(step);
  });

  it('refuses anything but six digits', () => {
    expect(matchTotp(SEEDS.sha1, '12345', 0)).toBeNull();
    expect(matchTotp(SEEDS.sha1, 'abcdef', 0)).toBeNull();
  });

  it('round-trips base32 (RFC 4648 vectors) and builds the otpauth URI', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Decode('MZXW6YTBOI======').toString()).toBe('foobar');
    expect(base32Decode(base32Encode(SEEDS.sha1))).toEqual(SEEDS.sha1);
    expect(otpauthUri({ issuer: '核对平台', account: 'city_staff', secret: 'ABC' })).toBe(
      'otpauth://totp/%E6%A0%B8%E5%AF%B9%E5%B9%B3%E5%8F%B0:city_staff?secret=ABC&issuer=%E6%A0%B8%E5%AF%B9%E5%B9%B3%E5%8F%B0&algorithm=SHA1&digits=6&period=30',
    );
  });
});
