import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '../../app/actor.ts';
import { resetSecondFactor } from '../../app/admin/account-security.ts';
import { createOrganisation } from '../../app/admin/create-organisation.ts';
import { createUser } from '../../app/admin/create-user.ts';
import { loadConfig, secretFromEnvironment } from '../../config.ts';
import { isRole, ORGANISATION_KINDS, type OrganisationKind, type Role } from '../../domain/access/roles.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { migrateToLatest, openDatabase } from '../../store/db.ts';
import { withRuntime } from '../with-runtime.ts';
import { registerAuditCheckpointCommands } from './retention.ts';

const CLI_ACTOR = { ...SYSTEM_ACTOR, name: '命令行' };

function fail(code: string, message: string, exitCode = 1): void {
  process.stderr.write(`${code}: ${message}\n`);
  process.exitCode = exitCode;
}

export function registerAdminCommands(program: Command): void {
  program
    .command('migrate')
    .description('把数据库结构升级到最新版本')
    .action(async () => {
      const database = openDatabase(loadConfig().databaseUrl);
      try {
        const applied = await migrateToLatest(database);
        process.stdout.write(`${JSON.stringify({ applied })}\n`);
      } finally {
        await database.close();
      }
    });

  const audit = program.command('audit').description('审计日志');
  registerAuditCheckpointCommands(audit);

  const user = program.command('user').description('用户管理');
  user
    .command('reset-second-factor')
    .description('重置用户的双因素认证（如唯一的管理员丢失手机）；其会话全部结束，下次登录须重新绑定')
    .requiredOption('--username <name>', '登录名')
    .action(async (opts: { username: string }) => {
      await withRuntime(async (runtime) => {
        const target = await runtime.deps.store.users.getByUsername(opts.username);
        if (!target) return fail('NOT_FOUND', `用户 ${opts.username} 不存在`);
        await resetSecondFactor(runtime.deps, target.id, CLI_ACTOR);
        process.stdout.write(
          `${JSON.stringify({ id: target.id, username: target.username, secondFactor: 'reset' })}\n`,
        );
      });
    });
  user
    .command('create')
    .description('新建用户；首次部署时可同时新建其所属机构')
    .requiredOption('--username <name>', '登录名')
    .requiredOption('--display-name <name>', '姓名')
    .requiredOption(
      '--role <role...>',
      '角色：agency_staff agency_reviewer requester_staff department_officer system_admin audit_officer',
    )
    .option('--organisation <id>', '所属机构编号')
    .option('--new-organisation <name>', '新建所属机构的名称')
    .option('--kind <kind>', `新建机构的类别：${ORGANISATION_KINDS.join(' ')}`, 'admin')
    .option('--region <code>', '新建机构的行政区划代码（6 位）')
    .option('--department-code <code>', '新建数据提供部门的部门代码')
    .option('--password-env <var>', '从该环境变量读取初始密码', 'HEDUI_NEW_USER_PASSWORD')
    .action(async (opts: Record<string, string | string[] | undefined>) => {
      const roles = (opts.role as string[]).filter(isRole) as Role[];
      if (roles.length !== (opts.role as string[]).length) return fail('BAD_REQUEST', '存在未知角色', 2);
      const password = secretFromEnvironment(opts.passwordEnv as string);
      if (!password) return fail('BAD_REQUEST', `请在环境变量 ${String(opts.passwordEnv)} 中提供初始密码`, 2);
      await withRuntime(async (runtime) => {
        try {
          let organisationId = opts.organisation ? Number(opts.organisation) : null;
          if (organisationId === null) {
            if (!opts.newOrganisation || !opts.region)
              return fail('BAD_REQUEST', '请指定 --organisation，或 --new-organisation 与 --region', 2);
            const kind = opts.kind as OrganisationKind;
            if (!ORGANISATION_KINDS.includes(kind)) return fail('BAD_REQUEST', `未知机构类别 ${kind}`, 2);
            const org = await createOrganisation(
              runtime.deps,
              {
                name: opts.newOrganisation as string,
                kind,
                regionCode: opts.region as string,
                departmentCode: (opts.departmentCode as string) ?? null,
              },
              CLI_ACTOR,
            );
            organisationId = org.id;
          }
          const created = await createUser(
            runtime.deps,
            {
              username: opts.username as string,
              displayName: opts.displayName as string,
              organisationId,
              roles,
              password,
            },
            CLI_ACTOR,
          );
          process.stdout.write(
            `${JSON.stringify({ id: created.id, username: created.username, organisationId: created.organisationId, roles: created.roles })}\n`,
          );
        } catch (e) {
          if (e instanceof AppError) return fail(e.code, e.message);
          throw e;
        }
      });
    });
}
