import type { Generated } from 'kysely';

/** Second factor and login log (migration 202611260300_second_factor). */
export interface UserSecondFactorTable {
  userId: number;
  /** The confirmed TOTP secret (base32), encrypted with the field crypto; null until confirmed. */
  secretEnc: string | null;
  /** The secret of an enrolment shown but not yet confirmed by a first code. */
  pendingEnc: string | null;
  enabledAt: string | null;
  /** The last TOTP time step accepted: no code of this step or before is accepted again. */
  lastStep: number | null;
  updatedAt: string;
}

export interface RecoveryCodeTable {
  id: Generated<number>;
  userId: number;
  codeHash: string;
  createdAt: string;
  usedAt: string | null;
}

export interface LoginEventTable {
  id: Generated<number>;
  userId: number;
  at: string;
  step: string;
  outcome: string;
  reason: string | null;
  ip: string | null;
  userAgent: string | null;
}
