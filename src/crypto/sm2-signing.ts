import smCrypto from 'sm-crypto';

/**
 * SM2 signatures (GB/T 32918.2) for audit checkpoints, through `sm-crypto`: SM3 with the standard signer ID
 * `1234567812345678` (GM/T 0009), DER-encoded (r, s). OpenSSL 3 verifies them with
 * `openssl pkeyutl -verify -rawin -digest sm3 -pkeyopt distid:1234567812345678` (see docs/security.md).
 */

const { sm2 } = smCrypto;
export const SM2_USER_ID = '1234567812345678';
const OPTIONS = { hash: true, der: true, userId: SM2_USER_ID } as const;

// SubjectPublicKeyInfo prefix: id-ecPublicKey with the curve sm2p256v1 (1.2.156.10197.1.301), 65-byte point.
const SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d034200', 'hex');
const PUBLIC_KEY = /^04[0-9a-f]{128}$/;
const PRIVATE_KEY = /^[0-9a-f]{64}$/;

export interface Sm2KeyPair {
  /** 32-byte scalar, hex. */
  privateKey: string;
  /** Uncompressed point `04‖x‖y`, hex. */
  publicKey: string;
}

export function generateSm2KeyPair(): Sm2KeyPair {
  const pair = sm2.generateKeyPairHex();
  // sm-crypto may drop leading zeros of the scalar; keys are stored at their full width.
  return { privateKey: pair.privateKey.padStart(64, '0'), publicKey: pair.publicKey };
}

export function isSm2KeyPair(pair: Sm2KeyPair): boolean {
  return PRIVATE_KEY.test(pair.privateKey) && PUBLIC_KEY.test(pair.publicKey);
}

/** Signs the UTF-8 bytes of text; returns the DER signature as hex. */
export function sm2Sign(pair: Sm2KeyPair, text: string): string {
  return sm2.doSignature(text, pair.privateKey, { ...OPTIONS, publicKey: pair.publicKey });
}

export function sm2Verify(publicKey: string, text: string, signature: string): boolean {
  if (!PUBLIC_KEY.test(publicKey) || !/^[0-9a-f]+$/.test(signature)) return false;
  try {
    return sm2.doVerifySignature(text, signature, publicKey, OPTIONS);
  } catch {
    return false;
  }
}

/** The public key as a PEM SubjectPublicKeyInfo, the form OpenSSL and most SM2 tools read. */
export function sm2PublicKeyPem(publicKey: string): string {
  const der = Buffer.concat([SPKI_PREFIX, Buffer.from(publicKey, 'hex')]).toString('base64');
  return `-----BEGIN PUBLIC KEY-----\n${der.match(/.{1,64}/g)?.join('\n')}\n-----END PUBLIC KEY-----\n`;
}
