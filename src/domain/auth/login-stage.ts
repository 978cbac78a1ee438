import type { Role } from '../access/roles.ts';

/**
 * What a session may do. Only `full` reaches the application; the others are steps of logging in, each
 * reaching only the routes of that step (a half-logged-in session reaches nothing else). Every step passed
 * gives the session a new identifier.
 */
export const LOGIN_STAGES = ['second_factor', 'enrol', 'password_change', 'full'] as const;
export type LoginStage = (typeof LOGIN_STAGES)[number];

/** `required`: roles seeing personal data must use a second factor; `optional`: anyone may (demo, tests). */
export type SecondFactorMode = 'required' | 'optional';

/**
 * Every role sees personal data: business roles see applicants' ID numbers, incomes and assets; the system
 * administrator sees staff accounts and can reset others' credentials; the audit officer sees who read which
 * case from where. Level 3 (GB/T 22239-2019 8.1.4.1 d) asks for two factors for all of them.
 */
export const ROLES_REQUIRING_SECOND_FACTOR: readonly Role[] = [
  'agency_staff',
  'agency_reviewer',
  'requester_staff',
  'department_officer',
  'system_admin',
  'audit_officer',
];

export function secondFactorRequired(roles: readonly Role[], mode: SecondFactorMode): boolean {
  return mode === 'required' && roles.some((r) => ROLES_REQUIRING_SECOND_FACTOR.includes(r));
}

/** Whether a password set at `changedAt` must be changed at `now` (maxAgeDays 0: never). */
export function passwordExpired(changedAt: string, now: Date, maxAgeDays: number): boolean {
  if (maxAgeDays <= 0) return false;
  return now.getTime() - new Date(changedAt).getTime() >= maxAgeDays * 86_400_000;
}

export interface StageFacts {
  roles: readonly Role[];
  hasSecondFactor: boolean;
  passwordChangedAt: string;
  now: Date;
  mode: SecondFactorMode;
  passwordMaxAgeDays: number;
}

/** The step after `done` (what the user has just passed): the order is password → code → enrolment → new password. */
export function nextLoginStage(done: 'password' | LoginStage, facts: StageFacts): LoginStage {
  const order: LoginStage[] = ['second_factor', 'enrol', 'password_change', 'full'];
  const from = done === 'password' ? 0 : order.indexOf(done) + 1;
  for (const stage of order.slice(from)) {
    if (stage === 'second_factor' && facts.hasSecondFactor) return stage;
    if (stage === 'enrol' && !facts.hasSecondFactor && secondFactorRequired(facts.roles, facts.mode))
      return stage;
    if (
      stage === 'password_change' &&
      passwordExpired(facts.passwordChangedAt, facts.now, facts.passwordMaxAgeDays)
    )
      return stage;
  }
  return 'full';
}
