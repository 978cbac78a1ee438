import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Personal identifiers at rest: SM4-CTR encryption with an HMAC-SM3 tag (encrypt-then-MAC), and a
 * keyed HMAC-SM3 blind index of the normalised ID for matching without decrypting.
 *
 * Ciphertext text form: `v1.<keyId>.<base64url(iv ‖ ciphertext ‖ tag16)>`. The key id lets a rotation
 * re-encrypt gradually while old rows still decrypt.
 */
export interface DataKey {
  id: number;
  /** 16 bytes, SM4. */
  encKey: Buffer;
  /** 32 bytes, HMAC-SM3 tag. */
  macKey: Buffer;
}

export interface KeyRing {
  current: number;
  dataKeys: DataKey[];
  /** 32 bytes, HMAC-SM3 blind index. Rotating it means recomputing every index (`hedui keys rotate --index`). */
  indexKey: Buffer;
}

export class FieldCryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldCryptoError';
  }
}

const TAG_BYTES = 16;
const IV_BYTES = 16;

export class FieldCrypto {
  private readonly byId: Map<number, DataKey>;
  private readonly current: DataKey;

  constructor(private readonly ring: KeyRing) {
    this.byId = new Map(ring.dataKeys.map((k) => [k.id, k]));
    const current = this.byId.get(ring.current);
    if (!current) throw new FieldCryptoError(`密钥环中没有当前密钥 ${ring.current}`);
    for (const k of ring.dataKeys) {
      if (k.encKey.length !== 16 || k.macKey.length !== 32)
        throw new FieldCryptoError(`密钥 ${k.id} 长度不正确`);
    }
    if (ring.indexKey.length !== 32) throw new FieldCryptoError('索引密钥长度不正确');
    this.current = current;
  }

  get currentKeyId(): number {
    return this.current.id;
  }

  encrypt(plaintext: string): string {
    const key = this.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('sm4-ctr', key.encKey, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = this.tag(key, iv, body);
    return `v1.${key.id}.${Buffer.concat([iv, body, tag]).toString('base64url')}`;
  }

  decrypt(text: string): string {
    const [version, keyId, payload] = text.split('.');
    const key = this.byId.get(Number(keyId));
    if (version !== 'v1' || !key || !payload) throw new FieldCryptoError('密文格式无效或密钥不存在');
    const raw = Buffer.from(payload, 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new FieldCryptoError('密文长度无效');
    const iv = raw.subarray(0, IV_BYTES);
    const body = raw.subarray(IV_BYTES, raw.length - TAG_BYTES);
    const tag = raw.subarray(raw.length - TAG_BYTES);
    if (!timingSafeEqual(tag, this.tag(key, iv, body))) throw new FieldCryptoError('密文完整性校验失败');
    const decipher = createDecipheriv('sm4-ctr', key.encKey, iv);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  }

  /** Keyed index of a normalised value (an 18-digit ID): equal inputs give equal indexes, nothing else leaks. */
  blindIndex(normalised: string, purpose = 'id'): string {
    return createHmac('sm3', this.ring.indexKey)
      .update(`${purpose}:${normalised}`, 'utf8')
      .digest('base64url')
      .slice(0, 22);
  }

  keyIdOf(text: string): number {
    return Number(text.split('.')[1]);
  }

  private tag(key: DataKey, iv: Buffer, body: Buffer): Buffer {
    return createHmac('sm3', key.macKey).update(iv).update(body).digest().subarray(0, TAG_BYTES);
  }
}
