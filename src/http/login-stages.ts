import type { LoginStage } from '../domain/auth/login-stage.ts';
import type { ErrorCode } from '../domain/shared/errors.ts';

/**
 * The steps of logging in a route serves (default: only `full` sessions). A session at a step reaches only the
 * routes that list that step, so a half-logged-in user reaches nothing else.
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    loginStages?: readonly LoginStage[];
  }
}

export const ALL_STAGES: readonly LoginStage[] = ['second_factor', 'enrol', 'password_change', 'full'];

const REFUSALS: Record<Exclude<LoginStage, 'full'>, { code: ErrorCode; message: string }> = {
  second_factor: { code: 'SECOND_FACTOR_REQUIRED', message: '请输入身份验证器中的动态验证码以完成登录' },
  enrol: {
    code: 'SECOND_FACTOR_ENROLMENT_REQUIRED',
    message: '您的角色须使用双因素认证，请先绑定身份验证器',
  },
  password_change: { code: 'PASSWORD_CHANGE_REQUIRED', message: '密码已过期，请先修改密码' },
};

/** Why a session at `stage` may not call a route serving `allowed`, or null when it may. */
export function stageRefusal(
  stage: LoginStage,
  allowed: readonly LoginStage[] | undefined,
): { code: ErrorCode; message: string } | null {
  if ((allowed ?? ['full']).includes(stage)) return null;
  if (stage === 'full') return { code: 'CONFLICT', message: '您已登录' };
  return REFUSALS[stage];
}
