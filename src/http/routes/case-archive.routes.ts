import { z } from 'zod';
import { exportCaseArchive } from '../../app/cases/case-archive.ts';
import type { Deps } from '../../app/ports.ts';
import { caseArchiveWriter } from '../../documents/case-archive-writer.ts';
import { allow } from '../access.ts';
import type { App } from '../types.ts';

/**
 * The case archive as one ZIP (issue #5 item 12). The roles let the request in; the use case then admits only
 * the case's work group, the agency's reviewers and the requester that entrusted it.
 */
const caseUsers = allow('requester_staff', 'agency_staff', 'agency_reviewer');

export function caseArchiveRoutes(app: App, deps: Deps): void {
  app.get('/api/cases/:id/archive', {
    config: { access: caseUsers },
    schema: {
      tags: ['cases'],
      summary:
        '导出案件档案（ZIP：清单与 SM3 指纹、办理经过、全部文书与材料、核对结果、案件档案 PDF；导出留痕）',
      params: z.object({ id: z.coerce.number().int().positive() }),
    },
    handler: async (request, reply) => {
      const archive = await exportCaseArchive(deps, request.params.id, request.actor, caseArchiveWriter);
      return reply
        .header('content-type', 'application/zip')
        .header('cache-control', 'no-store')
        .header(
          'content-disposition',
          // An ASCII name for old clients, the Chinese one (RFC 5987) for every browser in use.
          `attachment; filename="${archive.asciiFileName}"; filename*=UTF-8''${encodeURIComponent(archive.fileName)}`,
        )
        .send(archive.zip);
    },
  });
}
