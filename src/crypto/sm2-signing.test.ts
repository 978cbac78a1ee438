import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  generateSm2KeyPair,
  isSm2KeyPair,
  SM2_USER_ID,
  sm2PublicKeyPem,
  sm2Sign,
  sm2Verify,
} from './sm2-signing.ts';

/** OpenSSL 3 as the independent verifier: SM2 with SM3 and the distinguishing ID given explicitly. */
function opensslVerifies(publicKey: string, text: string, signature: string, userId = SM2_USER_ID): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'hedui-sm2-'));
  writeFileSync(join(dir, 'pub.pem'), sm2PublicKeyPem(publicKey));
  writeFileSync(join(dir, 'msg'), text, 'utf8');
  writeFileSync(join(dir, 'sig'), Buffer.from(signature, 'hex'));
  try {
    execFileSync(
      'openssl',
      [
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        'pub.pem',
        '-rawin',
        '-digest',
        'sm3',
        '-in',
        'msg',
        '-sigfile',
        'sig',
        '-pkeyopt',
        `distid:${userId}`,
      ],
      { cwd: dir, stdio: 'pipe' },
    );
    return true;
  } catch {
    return false;
  }
}

describe('SM2 checkpoint signatures', () => {
  const pair = generateSm2KeyPair();
  const text = '{"format":"hedui-audit-checkpoint-v1","number":1,"note":"审计"}';

  it('generates well-formed key pairs', () => {
    expect(isSm2KeyPair(pair)).toBe(true);
  });

  it('signs so that OpenSSL verifies with the standard user ID 1234567812345678 and SM3', () => {
    const signature = sm2Sign(pair, text);
    expect(sm2Verify(pair.publicKey, text, signature)).toBe(true);
    expect(opensslVerifies(pair.publicKey, text, signature)).toBe(true);
  });

  it('is refused by OpenSSL and by us for another text, another key or another user ID', () => {
    const signature = sm2Sign(pair, text);
    const other = generateSm2KeyPair();
    expect(opensslVerifies(pair.publicKey, `${text} `, signature)).toBe(false);
    expect(opensslVerifies(other.publicKey, text, signature)).toBe(false);
    expect(opensslVerifies(pair.publicKey, text, signature, 'ALICE123@YAHOO.COM')).toBe(false);
    expect(sm2Verify(pair.publicKey, `${text} `, signature)).toBe(false);
    expect(sm2Verify(other.publicKey, text, signature)).toBe(false);
    expect(sm2Verify(pair.publicKey, text, 'zz')).toBe(false);
  });
});
