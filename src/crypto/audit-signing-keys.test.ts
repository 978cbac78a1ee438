import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditSigningKeys, loadAuditSigningKeys } from './audit-signing-keys.ts';
import {
  addDataKey,
  addSigningKey,
  type KeyFile,
  newKeyFile,
  readKeyFile,
  writeKeyFile,
} from './key-file.ts';

const NOW = '2026-01-01T00:00:00.000Z';

describe(AuditSigningKeys.name, () => {
  it('signs with the key file’s current SM2 key', () => {
    const keys = AuditSigningKeys.fromKeyFile(newKeyFile(NOW));
    const signed = keys.sign('text');
    expect(signed?.keyId).toBe(1);
    expect(keys.verify(keys.publicKey(1) as string, 'text', signed?.signature as string)).toBe(true);
  });

  it('rotates to a new key and still verifies what the old one signed', () => {
    const before = newKeyFile(NOW);
    const old = AuditSigningKeys.fromKeyFile(before).sign('checkpoint 1');
    const after = AuditSigningKeys.fromKeyFile(addSigningKey(before, NOW));
    expect(after.currentKeyId).toBe(2);
    expect(after.sign('checkpoint 2')?.keyId).toBe(2);
    expect(after.publicKey(1)).toBe(old?.publicKey);
    expect(after.verify(after.publicKey(1) as string, 'checkpoint 1', old?.signature as string)).toBe(true);
    expect(after.verify(after.publicKey(2) as string, 'checkpoint 1', old?.signature as string)).toBe(false);
  });

  it('keeps the signing keys through a data-key rotation and a write and read of the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hedui-keys-'));
    const path = join(dir, 'keys.json');
    const file = addDataKey(newKeyFile(NOW), NOW);
    writeKeyFile(path, file);
    expect(readKeyFile(path).signingKeys).toEqual(file.signingKeys);
  });

  it('adds a signing key to an older key file only when allowed (never in production)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hedui-keys-'));
    const path = join(dir, 'keys.json');
    const { signingKeys: _s, currentSigningKey: _c, ...older } = newKeyFile(NOW);
    writeKeyFile(path, older as KeyFile);
    expect(
      loadAuditSigningKeys({ inline: null, path, addIfMissing: false, now: NOW }).currentKeyId,
    ).toBeNull();
    expect(loadAuditSigningKeys({ inline: null, path, addIfMissing: true, now: NOW }).currentKeyId).toBe(1);
    expect((JSON.parse(readFileSync(path, 'utf8')) as KeyFile).signingKeys).toHaveLength(1);
    expect(AuditSigningKeys.fromKeyFile(older as KeyFile).sign('x')).toBeNull();
  });
});
