import { z } from 'zod';
import { createOrganisation } from '../../app/admin/create-organisation.ts';
import { createUser } from '../../app/admin/create-user.ts';
import { organisationInScope } from '../../app/admin/scope.ts';
import { updateOrganisation } from '../../app/admin/update-organisation.ts';
import { resetUserPassword, unlockUser, updateUser } from '../../app/admin/update-user.ts';
import type { Deps } from '../../app/ports.ts';
import { allow } from '../access.ts';
import { presentOrganisations, presentUsers } from '../presenters.ts';
import { idParam, organisationKindSchema, organisationSchema, roleSchema, userSchema } from '../schemas.ts';
import type { App } from '../types.ts';

const admin = allow('system_admin');

export function adminRoutes(app: App, deps: Deps): void {
  const now = () => deps.clock.now().toISOString();

  app.get('/api/organisations', {
    config: { access: admin },
    schema: {
      tags: ['admin'],
      summary: '机构列表（本人数据范围内）',
      response: { 200: z.object({ items: z.array(organisationSchema) }) },
    },
    handler: async (request) => ({
      items: await presentOrganisations(
        deps.store,
        await deps.store.organisations.list(request.actor.regionCode),
      ),
    }),
  });

  app.post('/api/organisations', {
    config: { access: admin },
    schema: {
      tags: ['admin'],
      summary: '新建机构',
      body: z.object({
        name: z.string(),
        kind: organisationKindSchema,
        regionCode: z.string().regex(/^\d{6}(\d{3})?$/, '行政区划代码应为 6 位或 9 位数字'),
        parentId: z.number().int().positive().nullable().optional(),
        departmentCode: z.string().max(40).nullable().optional(),
      }),
      response: { 200: z.object({ organisation: organisationSchema }) },
    },
    handler: async (request) => {
      const org = await createOrganisation(deps, request.body, request.actor);
      return {
        organisation: (await presentOrganisations(deps.store, [org]))[0] as z.infer<
          typeof organisationSchema
        >,
      };
    },
  });

  app.patch('/api/organisations/:id', {
    config: { access: admin },
    schema: {
      tags: ['admin'],
      summary: '修改机构（名称、启用状态）',
      params: idParam,
      body: z.object({ name: z.string().optional(), active: z.boolean().optional() }),
      response: { 200: z.object({ organisation: organisationSchema }) },
    },
    handler: async (request) => {
      const org = await updateOrganisation(deps, request.params.id, request.body, request.actor);
      return {
        organisation: (await presentOrganisations(deps.store, [org]))[0] as z.infer<
          typeof organisationSchema
        >,
      };
    },
  });

  app.get('/api/users', {
    config: { access: admin },
    schema: {
      tags: ['admin'],
      summary: '用户列表（本人数据范围内）',
      querystring: z.object({
        organisationId: z.coerce.number().int().positive().optional(),
        q: z.string().max(50).optional(),
      }),
      response: { 200: z.object({ items: z.array(userSchema) }) },
    },
    handler: async (request) => {
      if (request.query.organisationId !== undefined)
        await organisationInScope(deps.store, request.actor, request.query.organisationId);
      const users = await deps.store.users.list({ regionScope: request.actor.regionCode, ...request.query });
      return { items: await presentUsers(deps.store, users, now()) };
    },
  });

  app.post('/api/users', {
    config: { access: admin },
    schema: {
      tags: ['admin'],
      summary: '新建用户',
      body: z.object({
        username: z.string(),
        displayName: z.string(),
        organisationId: z.number().int().positive(),
        roles: z.array(roleSchema).min(1, '至少选择一个角色'),
        password: z.string().max(200),
      }),
      response: { 200: z.object({ user: userSchema }) },
    },
    handler: async (request) => {
      const user = await createUser(deps, request.body, request.actor);
      return { user: (await presentUsers(deps.store, [user], now()))[0] as z.infer<typeof userSchema> };
    },
  });

  app.patch('/api/users/:id', {
    config: { access: admin },
    schema: {
      tags: ['admin'],
      summary: '修改用户（姓名、角色、启用状态）',
      params: idParam,
      body: z.object({
        displayName: z.string().optional(),
        roles: z.array(roleSchema).optional(),
        active: z.boolean().optional(),
      }),
      response: { 200: z.object({ user: userSchema }) },
    },
    handler: async (request) => {
      const user = await updateUser(deps, request.params.id, request.body, request.actor);
      return { user: (await presentUsers(deps.store, [user], now()))[0] as z.infer<typeof userSchema> };
    },
  });

  app.post('/api/users/:id/reset-password', {
    config: { access: admin },
    schema: {
      tags: ['admin'],
      summary: '重置用户密码',
      params: idParam,
      body: z.object({ password: z.string().max(200) }),
    },
    handler: async (request, reply) => {
      await resetUserPassword(deps, request.params.id, request.body.password, request.actor);
      return reply.status(204).send();
    },
  });

  app.post('/api/users/:id/unlock', {
    config: { access: admin },
    schema: { tags: ['admin'], summary: '解锁用户', params: idParam },
    handler: async (request, reply) => {
      await unlockUser(deps, request.params.id, request.actor);
      return reply.status(204).send();
    },
  });
}
