import { z } from 'zod';
import type { Deps } from '../../app/ports.ts';
import { getQueryInterface, listQueryInterfaces } from '../../app/query-interface/list-query-interfaces.ts';
import {
  createQueryInterface,
  updateQueryInterface,
} from '../../app/query-interface/save-query-interface.ts';
import { testQueryInterface } from '../../app/query-interface/test-query-interface.ts';
import { allow } from '../access.ts';
import { idParam } from '../schemas.ts';
import type { App } from '../types.ts';

/** Administrators configure departments' query interfaces; agency staff see which sources are live. */
const readers = allow('system_admin', 'agency_staff', 'agency_reviewer');
const admins = allow('system_admin');

/** Credentials only ever leave as `***` (the view is redacted before it gets here). */
const configSchema = z.object({
  departmentCode: z.string(),
  dataset: z.string(),
  url: z.string(),
  auth: z.object({
    kind: z.enum(['none', 'bearer', 'basic', 'header']),
    token: z.string().optional(),
    username: z.string().optional(),
    password: z.string().optional(),
    name: z.string().optional(),
    value: z.string().optional(),
  }),
  timeoutMs: z.number(),
  retries: z.number(),
  backoffMs: z.number(),
  request: z.object({
    idField: z.string(),
    nameField: z.string().nullable(),
    caseField: z.string(),
    operatorField: z.string(),
    method: z.enum(['POST', 'GET']),
  }),
  response: z.object({ rowsPath: z.string(), fieldMap: z.record(z.string(), z.string()) }),
});

const viewSchema = z.object({
  id: z.number(),
  departmentCode: z.string(),
  departmentName: z.string(),
  dataset: z.string(),
  datasetName: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  urlHost: z.string(),
  authKind: z.enum(['none', 'bearer', 'basic', 'header']),
  config: configSchema,
  createdAt: z.string(),
  createdBy: z.number().nullable(),
  updatedAt: z.string(),
  updatedBy: z.number().nullable(),
});

const testResultSchema = z.object({
  interfaceId: z.number(),
  status: z.enum(['ok', 'unavailable']),
  caseNumber: z.string(),
  requestId: z.string(),
  attempts: z.number(),
  durationMs: z.number(),
  rowCount: z.number(),
  rejectedRowCount: z.number(),
  problems: z.array(z.object({ column: z.string(), code: z.string() })),
  reason: z.string().optional(),
  httpStatus: z.number().optional(),
  message: z.string().optional(),
});

const configBody = z.record(z.string(), z.unknown());
const nameBody = z.string().max(200).nullable().optional();

export function queryInterfaceRoutes(app: App, deps: Deps): void {
  app.get('/api/query-interfaces', {
    config: { access: readers },
    schema: {
      tags: ['query-interfaces'],
      summary: '部门数据查询接口（凭据不返回）',
      response: { 200: z.object({ items: z.array(viewSchema) }) },
    },
    handler: async () => ({ items: await listQueryInterfaces(deps) }),
  });

  app.post('/api/query-interfaces', {
    config: { access: admins },
    schema: {
      tags: ['query-interfaces'],
      summary: '新建部门数据查询接口（系统管理员；留痕）',
      body: z.object({ name: nameBody, enabled: z.boolean().optional(), config: configBody }),
      response: { 200: z.object({ queryInterface: viewSchema }) },
    },
    handler: async (request) => ({
      queryInterface: await createQueryInterface(deps, request.body, request.actor),
    }),
  });

  app.get('/api/query-interfaces/:id', {
    config: { access: readers },
    schema: {
      tags: ['query-interfaces'],
      summary: '查询接口配置（凭据以 *** 代替）',
      params: idParam,
      response: { 200: z.object({ queryInterface: viewSchema }) },
    },
    handler: async (request) => ({ queryInterface: await getQueryInterface(deps, request.params.id) }),
  });

  app.patch('/api/query-interfaces/:id', {
    config: { access: admins },
    schema: {
      tags: ['query-interfaces'],
      summary: '修改查询接口：名称、启用/停用、配置（未填的凭据保持不变；留痕）',
      params: idParam,
      body: z.object({ name: nameBody, enabled: z.boolean().optional(), config: configBody.optional() }),
      response: { 200: z.object({ queryInterface: viewSchema }) },
    },
    handler: async (request) => ({
      queryInterface: await updateQueryInterface(deps, request.params.id, request.body, request.actor),
    }),
  });

  app.post('/api/query-interfaces/:id/test', {
    config: { access: admins },
    schema: {
      tags: ['query-interfaces'],
      summary: '测试连接：以测试案件编号查询一人，只返回状态、次数、耗时和记录数（留痕）',
      params: idParam,
      body: z.object({ idNumber: z.string().min(1).max(40), name: z.string().max(100).optional() }),
      response: { 200: z.object({ result: testResultSchema }) },
    },
    handler: async (request) => ({
      result: await testQueryInterface(deps, request.params.id, request.body, request.actor),
    }),
  });
}
