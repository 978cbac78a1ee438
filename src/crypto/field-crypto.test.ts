import { describe, expect, it } from 'vitest';
import { FieldCrypto, FieldCryptoError } from './field-crypto.ts';
import { addDataKey, newKeyFile, parseKeyFile } from './key-file.ts';

const file = newKeyFile('2026-01-01T00:00:00Z');
const crypto = new FieldCrypto(parseKeyFile(JSON.stringify(file)));

describe(FieldCrypto.name, () => {
  it('round-trips Chinese names and ID numbers', () => {
    for (const text of ['11010519491231002X', '张三', '𠮷野家', ''])
      expect(crypto.decrypt(crypto.encrypt(text))).toBe(text);
  });

  it('never puts the plaintext in the ciphertext and uses a fresh IV each time', () => {
    const a = crypto.encrypt('11010519491231002X');
    const b = crypto.encrypt('11010519491231002X');
    expect(a).not.toBe(b);
    expect(a).not.toContain('11010519491231002X');
    expect(Buffer.from(a.split('.')[2] ?? '', 'base64url').toString('latin1')).not.toContain('110105');
  });

  it('detects a flipped bit in the ciphertext', () => {
    const c = crypto.encrypt('11010519491231002X');
    const raw = Buffer.from(c.split('.')[2] ?? '', 'base64url');
    raw[20] = (raw[20] ?? 0) ^ 1;
    expect(() => crypto.decrypt(`v1.1.${raw.toString('base64url')}`)).toThrow(FieldCryptoError);
  });

  it('gives equal blind indexes for equal IDs and different ones for different IDs or keys', () => {
    expect(crypto.blindIndex('11010519491231002X')).toBe(crypto.blindIndex('11010519491231002X'));
    expect(crypto.blindIndex('11010519491231002X')).not.toBe(crypto.blindIndex('440524188001010014'));
    const other = new FieldCrypto(parseKeyFile(JSON.stringify(newKeyFile('2026-01-01T00:00:00Z'))));
    expect(other.blindIndex('11010519491231002X')).not.toBe(crypto.blindIndex('11010519491231002X'));
  });

  it('still decrypts old ciphertexts after a new data key becomes current', () => {
    const old = crypto.encrypt('张三');
    const rotated = new FieldCrypto(parseKeyFile(JSON.stringify(addDataKey(file, '2026-02-01T00:00:00Z'))));
    expect(rotated.currentKeyId).toBe(2);
    expect(rotated.decrypt(old)).toBe('张三');
    expect(rotated.keyIdOf(rotated.encrypt('李四'))).toBe(2);
    expect(rotated.blindIndex('11010519491231002X')).toBe(crypto.blindIndex('11010519491231002X'));
  });

  it('refuses a malformed key file', () => {
    expect(() => parseKeyFile(JSON.stringify({ ...file, indexKey: 'abc' }))).toThrow(FieldCryptoError);
  });
});
