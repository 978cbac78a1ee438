import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '../../app/actor.ts';
import { traceExport } from '../../app/exports/trace-export.ts';
import { readWatermark } from '../../documents/export-watermark.ts';
import { describeTarget, EXPORT_KIND_LABELS } from '../../domain/exports/export-request.ts';
import { withRuntime } from '../with-runtime.ts';

/** Exports are at most a case archive; anything larger is not ours to open whole. */
const MAX_TRACE_BYTES = 512 * 1024 * 1024;

/** `hedui export trace FILE`: reads a file's export watermark back to its export request (issue #8 item 4). */
export function registerExportCommands(program: Command): void {
  const exportCommand = program.command('export').description('批量导出（审批、水印）');
  exportCommand
    .command('trace')
    .argument('<file>', '导出的文件（CSV、JSON、XLSX 或 ZIP），也可以是另存后的副本')
    .description(
      '读出文件中的可追溯水印（导出编号与密钥指纹），对应到导出申请：申请人、用途、审批人、下载时间；指纹真实时退出码为 0，找不到水印为 1，指纹不符（伪造或篡改）为 3',
    )
    .action(async (file: string) => {
      if (statSync(file).size > MAX_TRACE_BYTES) {
        process.stderr.write('FILE_TOO_LARGE: 文件过大，不是平台导出的文件\n');
        process.exitCode = 2;
        return;
      }
      const bytes = readFileSync(file);
      await withRuntime(async (runtime) => {
        const result = await traceExport(
          runtime.deps,
          bytes,
          { ...SYSTEM_ACTOR, name: '命令行追溯' },
          readWatermark,
        );
        if (!result.found) {
          process.stderr.write(`EXPORT_MARK_NOT_FOUND: ${result.reason}\n`);
          process.exitCode = 1;
          return;
        }
        const r = result.request;
        process.stdout.write(
          `${JSON.stringify({
            exportId: result.exportId,
            genuine: result.genuine,
            fingerprint: result.fingerprint,
            request: r && {
              kind: r.kind,
              kindLabel: EXPORT_KIND_LABELS[r.kind],
              target: describeTarget(r.target),
              caseId: r.caseId,
              recheckRunId: r.recheckRunId,
              reason: r.reason,
              requestedBy: {
                userId: r.requestedBy,
                name: r.requestedByName,
                organisationId: r.requesterOrganisationId,
              },
              requestedAt: r.requestedAt,
              decidedBy: r.decidedBy === null ? null : { userId: r.decidedBy, name: r.decidedByName },
              decidedAt: r.decidedAt,
              downloadedAt: r.downloadedAt,
              fileName: r.fileName,
            },
          })}\n`,
        );
        if (!result.genuine) {
          process.stderr.write(
            'EXPORT_MARK_NOT_GENUINE: 水印指纹与导出记录不符（伪造、篡改或非本平台导出）\n',
          );
          process.exitCode = 3;
        }
      });
    });
}
