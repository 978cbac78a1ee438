import { randomBytes } from 'node:crypto';
import { sm3Hex } from '../../domain/audit/chain.ts';

/** The cookie carries the token; the database holds only its SM3 hash, so a dump cannot hijack sessions. */
export function newSessionToken(): { token: string; idHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, idHash: sessionIdHash(token) };
}

export function sessionIdHash(token: string): string {
  return sm3Hex(`session:${token}`);
}
