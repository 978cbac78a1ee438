import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { CalendarInputError, CalendarNotCoveredError } from '../../domain/calendar/working-days.ts';
import { AppError, ERROR_CODES, type ErrorCode } from '../../domain/shared/errors.ts';
import { maskIdentifiers } from '../redact.ts';

export function sendError(
  reply: FastifyReply,
  request: FastifyRequest,
  code: ErrorCode,
  message: string,
  details: unknown = null,
): FastifyReply {
  // No identifier leaves in an error body, whatever a message or its details quoted (masked as lists show them).
  return reply.status(ERROR_CODES[code]).send({
    error: {
      code,
      message: maskIdentifiers(message),
      details: maskIdentifiers(details),
      requestId: request.id,
    },
  });
}

/** One error shape for every failure: {"error":{"code","message","details","requestId"}}, messages in Chinese. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) return sendError(reply, request, error.code, error.message, error.details);
    if (error instanceof CalendarNotCoveredError)
      return sendError(reply, request, 'CALENDAR_NOT_COVERED', error.message, { year: error.year });
    if (error instanceof CalendarInputError) return sendError(reply, request, 'INVALID_DATE', error.message);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => ({
        path: `${error.validationContext ?? ''}${v.instancePath}`,
        code: v.params?.issue?.code ?? v.keyword,
        message: v.message,
      }));
      return sendError(reply, request, 'VALIDATION_FAILED', '请求参数有误', { errors: issues });
    }
    if (error.statusCode === 413)
      return sendError(reply, request, 'FILE_TOO_LARGE', '请求体或上传的文件超过了大小上限');
    if (error.statusCode === 415)
      return sendError(reply, request, 'UNSUPPORTED_MEDIA_TYPE', '不支持的请求内容类型');
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
      return sendError(reply, request, 'BAD_REQUEST', '请求格式有误');
    // Unexpected: log the error (no request body, which may hold personal data) and hide it from the client.
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, request, 'INTERNAL_ERROR', '服务器内部错误，请联系管理员并提供请求编号');
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, request, 'NOT_FOUND', '请求的地址不存在'));
}
