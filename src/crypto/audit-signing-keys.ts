import { existsSync } from 'node:fs';
import type { AuditSigner } from '../app/audit/checkpoint.port.ts';
import { addSigningKey, type KeyFile, keyFileFromText, readKeyFile, writeKeyFile } from './key-file.ts';
import { type Sm2KeyPair, sm2Sign, sm2Verify } from './sm2-signing.ts';

/** The SM2 keys of the key file: the current one signs checkpoints, every one verifies. */
export class AuditSigningKeys implements AuditSigner {
  constructor(
    private readonly keys: ReadonlyMap<number, Sm2KeyPair>,
    private readonly current: number | null,
  ) {}

  static fromKeyFile(file: KeyFile): AuditSigningKeys {
    const keys = new Map(
      (file.signingKeys ?? []).map((k) => [k.id, { privateKey: k.privateKey, publicKey: k.publicKey }]),
    );
    const current = file.currentSigningKey ?? null;
    return new AuditSigningKeys(keys, current !== null && keys.has(current) ? current : null);
  }

  get currentKeyId(): number | null {
    return this.current;
  }

  publicKey(keyId: number): string | undefined {
    return this.keys.get(keyId)?.publicKey;
  }

  publicKeys(): { keyId: number; publicKey: string }[] {
    return [...this.keys].map(([keyId, k]) => ({ keyId, publicKey: k.publicKey }));
  }

  sign(text: string): { keyId: number; publicKey: string; signature: string } | null {
    const pair = this.current === null ? undefined : this.keys.get(this.current);
    if (!pair || this.current === null) return null;
    return { keyId: this.current, publicKey: pair.publicKey, signature: sm2Sign(pair, text) };
  }

  verify(publicKey: string, text: string, signature: string): boolean {
    return sm2Verify(publicKey, text, signature);
  }
}

/**
 * The audit signing keys from the same source as the field keys (HEDUI_KEYS or the key file). A key file
 * written before checkpoints existed gets its first SM2 key added when `addIfMissing` (the embedded default);
 * in production an operator adds it with `hedui keys rotate --signing`.
 */
export function loadAuditSigningKeys(opts: {
  inline: string | null;
  path: string;
  addIfMissing: boolean;
  now: string;
}): AuditSigningKeys {
  if (opts.inline) return AuditSigningKeys.fromKeyFile(keyFileFromText(opts.inline));
  if (!existsSync(opts.path)) return new AuditSigningKeys(new Map(), null);
  let file = readKeyFile(opts.path);
  if ((file.signingKeys ?? []).length === 0 && opts.addIfMissing) {
    file = addSigningKey(file, opts.now);
    writeKeyFile(opts.path, file);
  }
  return AuditSigningKeys.fromKeyFile(file);
}
