import { randomBytes } from 'node:crypto';
import { sm3Hex } from '../audit/chain.ts';
import { base32Encode } from './totp.ts';

export const RECOVERY_CODE_COUNT = 10;

/**
 * A single-use code for when the authenticator is lost: 80 random bits as 16 base32 characters in groups of
 * four. That much entropy makes a fast keyed hash enough at rest (no one can enumerate 2^80 candidates).
 */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () =>
    (base32Encode(randomBytes(10)).match(/.{4}/g) as string[]).join('-'),
  );
}

/** Upper case, without spaces and dashes: how the code was shown, however it is typed back. */
export function normaliseRecoveryCode(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, '');
}

export function looksLikeRecoveryCode(text: string): boolean {
  return /^[A-Z2-7]{16}$/.test(normaliseRecoveryCode(text));
}

/** Bound to the user, so the same code hashes differently for two users. */
export function recoveryCodeHash(userId: number, code: string): string {
  return sm3Hex(`recovery-code:${userId}:${normaliseRecoveryCode(code)}`);
}
