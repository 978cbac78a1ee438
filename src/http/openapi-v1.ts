import type { FastifyInstance } from 'fastify';
import { API_SCOPE_LABELS, API_SCOPES } from '../domain/access/scopes.ts';
import type { Access } from './access.ts';

/**
 * The integration API's own OpenAPI document (`/api/v1/openapi.json`, docs/integration.md): the whole app's
 * document filtered to the `/api/v1/` paths, with the machine clients' security schemes and, on each operation,
 * the scope it needs (read from the route's declared access, so every `/api/v1` route appears as it is declared).
 */

export const V1_VERSION = '1.0.0';

/** The one error body of the platform (plugins/errors.ts); codes in domain/shared/errors.ts. */
const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details', 'requestId'],
      properties: {
        code: {
          type: 'string',
          description: '稳定的错误码，如 SCOPE_REQUIRED、OUT_OF_SCOPE、VALIDATION_FAILED',
        },
        message: { type: 'string', description: '中文说明' },
        details: { description: '详情（如逐项校验错误）' },
        requestId: { type: 'string' },
      },
    },
  },
};
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  responses?: Record<string, unknown>;
  [key: string]: unknown;
}
type PathItem = Partial<Record<(typeof METHODS)[number], Operation>>;
interface OpenApiDocument {
  openapi: string;
  paths?: Record<string, PathItem>;
  components?: { schemas?: Record<string, unknown>; [key: string]: unknown };
  [key: string]: unknown;
}

/** `/api/v1/entrustments/{id}` + `post` → `postApiV1EntrustmentsById` (for routes without an operationId). */
function derivedOperationId(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((w) => w.length > 0)
    .map((w) => {
      const param = /^\{(.+)\}$/.exec(w);
      return param ? `By-${param[1]}` : w;
    })
    .join('-')
    .split(/[-_.]/)
    .filter((w) => w.length > 0);
  return method + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

function securityOf(access: Access | undefined): Record<string, string[]>[] | undefined {
  if (access?.kind === 'public') return [];
  if (access?.kind !== 'roles') return undefined;
  const scope: string[] = access.scope ? [access.scope] : [];
  const machine: Record<string, string[]>[] = access.machine ? [{ apiKey: scope }, { oauth2: scope }] : [];
  return [...machine, { session: [] }];
}

export function v1OpenApiDocument(app: FastifyInstance): OpenApiDocument {
  // app.swagger() hands out its cached document: work on a copy.
  const full = structuredClone(app.swagger()) as unknown as OpenApiDocument;
  const accessOf = new Map(app.routeTable.map((r) => [`${r.method.toLowerCase()} ${r.url}`, r.access]));
  const paths: Record<string, PathItem> = {};
  for (const [path, item] of Object.entries(full.paths ?? {})) {
    if (!path.startsWith('/api/v1/')) continue;
    const url = path.replace(/\{([^}]+)\}/g, ':$1');
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      operation.operationId ??= derivedOperationId(method, path);
      const security = securityOf(accessOf.get(`${method} ${url}`));
      if (security !== undefined) operation.security = security;
      operation.responses ??= {};
      if (!Object.keys(operation.responses).some((status) => status.startsWith('4')))
        operation.responses.default = {
          description:
            '错误（401 未认证，403 PERMISSION_DENIED 或 SCOPE_REQUIRED，404 OUT_OF_SCOPE，400 VALIDATION_FAILED…）',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        };
      if (operation.operationId === 'downloadEntrustmentDocument')
        operation.responses = {
          ...operation.responses,
          200: {
            description: '文书 PDF',
            content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
          },
        };
    }
    paths[path] = item;
  }
  const scopes = Object.fromEntries(API_SCOPES.map((s) => [s, API_SCOPE_LABELS[s]]));
  return {
    openapi: full.openapi,
    info: {
      title: 'Hedui 核对集成接口 v1',
      version: V1_VERSION,
      description:
        '委托单位系统提交核对委托、上传材料、查询状态并下载回执、告知书和报告；数据提供部门系统推送数据批次、答复离线交换。' +
        '以 API 密钥（Authorization: Bearer hd_…）或 OAuth2 客户端凭据模式取得的访问令牌认证，每个接口注明所需的权限范围（scope）。' +
        '错误形如 {"error":{"code","message","details","requestId"}}；缺少权限范围时返回 403 SCOPE_REQUIRED。说明见 docs/integration.md。',
    },
    tags: [{ name: 'integration-v1', description: '集成接口 v1' }],
    paths,
    components: {
      schemas: { ...(full.components?.schemas ?? {}), Error: ERROR_SCHEMA },
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'API 密钥（hd_<前缀>_<密钥>），由系统管理员发放，只显示一次',
        },
        oauth2: {
          type: 'oauth2',
          description: 'OAuth2 客户端凭据模式：client_id 为密钥前缀，client_secret 为完整密钥',
          flows: { clientCredentials: { tokenUrl: '/api/v1/oauth/token', scopes } },
        },
        session: { type: 'apiKey', in: 'cookie', name: 'hedui_sid', description: '网页端会话（人工调用）' },
      },
    },
  };
}
