import type { LoginStage } from '../../domain/auth/login-stage.ts';

/**
 * The store's side of second factors, login log and online sessions (issue #8; implemented in
 * src/store/account-security.repository.ts).
 */
export interface SecondFactorRow {
  userId: number;
  secretEnc: string | null;
  pendingEnc: string | null;
  enabledAt: string | null;
  lastStep: number | null;
}

export type LoginEventStep = 'password' | 'second_factor';
export type LoginEventOutcome = 'success' | 'failure' | 'denied';

export interface LoginEvent {
  id: number;
  userId: number;
  at: string;
  step: LoginEventStep;
  outcome: LoginEventOutcome;
  reason: string | null;
  ip: string | null;
  userAgent: string | null;
}

export interface OpenSession {
  idHash: string;
  userId: number;
  username: string;
  displayName: string;
  organisationName: string;
  stage: LoginStage;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
}

export interface AccountSecurityRepository {
  secondFactor(userId: number): Promise<SecondFactorRow | undefined>;
  /** Users (of these) with a confirmed second factor. */
  enrolledUserIds(userIds: readonly number[]): Promise<Set<number>>;
  setPendingSecret(userId: number, pendingEnc: string, at: string): Promise<void>;
  /** The pending secret becomes the factor, its first code's step the last used. */
  confirmSecret(userId: number, secretEnc: string, step: number, at: string): Promise<void>;
  /**
   * Records `step` as used only if it is after the last used one, in one statement: of two requests racing
   * with the same code, one wins. False when the step was already used.
   */
  consumeStep(userId: number, step: number): Promise<boolean>;
  /** Removes the factor and every recovery code; returns whether there was a confirmed factor. */
  removeSecondFactor(userId: number): Promise<boolean>;
  replaceRecoveryCodes(userId: number, codeHashes: readonly string[], at: string): Promise<void>;
  /** Marks an unused code as used, in one statement; false when there is none (unknown or already used). */
  consumeRecoveryCode(userId: number, codeHash: string, at: string): Promise<boolean>;
  recoveryCodesLeft(userId: number): Promise<number>;
  addLoginEvent(event: Omit<LoginEvent, 'id'>): Promise<void>;
  loginEvents(
    userId: number,
    page: { offset: number; limit: number },
  ): Promise<{ items: LoginEvent[]; total: number }>;
  /**
   * Sessions not ended, not past their absolute expiry and seen since `seenSince` (not idle), of users of
   * organisations in the region scope (null = all).
   */
  openSessions(filter: {
    regionScope: string | null;
    now: string;
    seenSince: string;
  }): Promise<OpenSession[]>;
}
