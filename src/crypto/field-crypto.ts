import {
  type Cipher,
  createCipheriv,
  createHash,
  createHmac,
  type Hash,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * Personal identifiers at rest: SM4-CTR encryption with an HMAC-SM3 tag (encrypt-then-MAC), and a
 * keyed HMAC-SM3 blind index of the normalised ID for matching without decrypting.
 *
 * Ciphertext text form: `v1.<keyId>.<base64url(iv ‖ ciphertext ‖ tag16)>`. The key id lets a rotation
 * re-encrypt gradually while old rows still decrypt. Long values (an assessment result: tens of kilobytes of
 * JSON) are deflated before encryption, `v2.<keyId>.<…>` with the version inside the tag: ciphertext does not
 * compress, so the database's own compression (TOAST) could not shrink them — measured 43 KB per stored
 * assessment at M. Stored values are not an oracle an attacker can probe with chosen input, so the lengths a
 * compressed ciphertext shows leak nothing a compression side channel needs.
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
/** From this length on a value is encrypted by a fresh `sm4-ctr` cipher rather than the shared ECB keystream. */
const LONG_VALUE_BYTES = 512;
const IV_BYTES = 16;
/** From this many UTF-8 bytes on a value is deflated before encryption (when that saves ≥ 1/8). */
const COMPRESS_FROM_BYTES = 2048;
/** A `v2` value never inflates past this (a forged or corrupt value must not exhaust memory). */
const MAX_PLAINTEXT_BYTES = 256 * 1024 * 1024;
const CIPHERTEXT_FORM = /^v[12]\.\d+\.[A-Za-z0-9_-]+$/;

/** HMAC-SM3 under one key. (Copying precomputed hash states was measured slower than Node's createHmac.) */
class KeyedHmac {
  constructor(private readonly key: Buffer) {}

  digest(...parts: (Buffer | string)[]): Buffer {
    const h = createHmac('sm3', this.key);
    for (const p of parts) h.update(p);
    return h.digest();
  }
}

/**
 * SM4 in counter mode built on one reusable SM4-ECB cipher: the keystream is E(iv), E(iv+1), …
 * exactly as `sm4-ctr` computes it, but without creating a cipher object for every value.
 */
class Sm4Ctr {
  private readonly ecb: Cipher;

  constructor(private readonly key: Buffer) {
    this.ecb = createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
  }

  apply(iv: Buffer, data: Buffer): Buffer {
    // Long values (an assessment, a recheck summary: kilobytes) go through OpenSSL's own CTR mode, the same
    // keystream: the byte loop below costs more than creating a cipher from a few hundred bytes on.
    if (data.length > LONG_VALUE_BYTES) return createCipheriv('sm4-ctr', this.key, iv).update(data);
    const blocks = Math.ceil(data.length / 16);
    const counters = Buffer.alloc(blocks * 16);
    const counter = Buffer.from(iv);
    for (let b = 0; b < blocks; b++) {
      counter.copy(counters, b * 16);
      for (let i = 15; i >= 0; i--) {
        counter[i] = ((counter[i] as number) + 1) & 0xff;
        if (counter[i] !== 0) break;
      }
    }
    const stream = this.ecb.update(counters);
    const out = Buffer.allocUnsafe(data.length);
    for (let i = 0; i < data.length; i++) out[i] = (data[i] as number) ^ (stream[i] as number);
    return out;
  }
}

/** Random IVs drawn from a refilled pool: one `randomBytes` call per 4 096 values instead of per value. */
class IvPool {
  private pool = Buffer.alloc(0);
  private offset = 0;

  next(): Buffer {
    if (this.offset + IV_BYTES > this.pool.length) {
      this.pool = randomBytes(IV_BYTES * 4096);
      this.offset = 0;
    }
    const iv = Buffer.from(this.pool.subarray(this.offset, this.offset + IV_BYTES));
    this.offset += IV_BYTES;
    return iv;
  }
}

interface PreparedKey {
  id: number;
  ctr: Sm4Ctr;
  mac: KeyedHmac;
}

export class FieldCrypto {
  private readonly byId: Map<number, PreparedKey>;
  private readonly current: PreparedKey;
  private readonly index: KeyedHmac;
  private readonly rowPrefix: Hash;
  private readonly ivs = new IvPool();

  constructor(ring: KeyRing) {
    for (const k of ring.dataKeys) {
      if (k.encKey.length !== 16 || k.macKey.length !== 32)
        throw new FieldCryptoError(`密钥 ${k.id} 长度不正确`);
    }
    if (ring.indexKey.length !== 32) throw new FieldCryptoError('索引密钥长度不正确');
    this.byId = new Map(
      ring.dataKeys.map((k) => [k.id, { id: k.id, ctr: new Sm4Ctr(k.encKey), mac: new KeyedHmac(k.macKey) }]),
    );
    const current = this.byId.get(ring.current);
    if (!current) throw new FieldCryptoError(`密钥环中没有当前密钥 ${ring.current}`);
    this.current = current;
    this.index = new KeyedHmac(ring.indexKey);
    this.rowPrefix = createHash('sm3').update(
      createHash('sm3').update('row-key:').update(ring.indexKey).digest(),
    );
  }

  get currentKeyId(): number {
    return this.current.id;
  }

  encrypt(plaintext: string): string {
    const key = this.current;
    const iv = this.ivs.next();
    const bytes = Buffer.from(plaintext, 'utf8');
    if (bytes.length >= COMPRESS_FROM_BYTES) {
      const deflated = deflateRawSync(bytes, { level: 1 });
      if (deflated.length <= bytes.length - (bytes.length >> 3)) {
        const body = key.ctr.apply(iv, deflated);
        const tag = key.mac.digest('v2', iv, body).subarray(0, TAG_BYTES);
        return `v2.${key.id}.${Buffer.concat([iv, body, tag]).toString('base64url')}`;
      }
    }
    const body = key.ctr.apply(iv, bytes);
    const tag = key.mac.digest(iv, body).subarray(0, TAG_BYTES);
    return `v1.${key.id}.${Buffer.concat([iv, body, tag]).toString('base64url')}`;
  }

  decrypt(text: string): string {
    const [version, keyId, payload] = text.split('.');
    const key = this.byId.get(Number(keyId));
    if ((version !== 'v1' && version !== 'v2') || !key || !payload)
      throw new FieldCryptoError('密文格式无效或密钥不存在');
    const raw = Buffer.from(payload, 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new FieldCryptoError('密文长度无效');
    const iv = raw.subarray(0, IV_BYTES);
    const body = raw.subarray(IV_BYTES, raw.length - TAG_BYTES);
    const tag = raw.subarray(raw.length - TAG_BYTES);
    const expected = version === 'v2' ? key.mac.digest('v2', iv, body) : key.mac.digest(iv, body);
    if (!timingSafeEqual(tag, expected.subarray(0, TAG_BYTES)))
      throw new FieldCryptoError('密文完整性校验失败');
    const plain = key.ctr.apply(iv, body);
    if (version === 'v1') return plain.toString('utf8');
    try {
      return inflateRawSync(plain, { maxOutputLength: MAX_PLAINTEXT_BYTES }).toString('utf8');
    } catch {
      throw new FieldCryptoError('密文解压失败');
    }
  }

  /** Whether a stored value is one of our ciphertexts (rows stored before a column was encrypted hold plain text). */
  isCiphertext(value: unknown): value is string {
    return typeof value === 'string' && CIPHERTEXT_FORM.test(value);
  }

  /** Keyed index of a normalised value (an 18-digit ID): equal inputs give equal indexes, nothing else leaks. */
  blindIndex(normalised: string, purpose = 'id'): string {
    return this.index.digest(`${purpose}:${normalised}`).toString('base64url').slice(0, 22);
  }

  /**
   * Keyed fingerprint of a whole row, for dropping exact duplicates: SM3 over a secret prefix, one hash
   * per row. It only has to hide its input (an ID inside a row must not be guessable from it), not
   * authenticate anything, so the prefix construction suffices where HMAC would cost twice as much.
   */
  rowFingerprint(canonicalRow: string): string {
    return this.rowPrefix.copy().update(canonicalRow).digest('base64url').slice(0, 22);
  }

  keyIdOf(text: string): number {
    return Number(text.split('.')[1]);
  }
}
