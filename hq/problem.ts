// Every error leaves HQ as application/problem+json (RFC 9457) with a machine-readable `code`;
// no stack trace or SQL ever reaches a client — those go to the log.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Problem } from '../sync/protocol';
import { HqError, type FieldError } from './hq-error';

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

export function sendProblem(reply: FastifyReply, status: number, code: string, detail: string, errors?: FieldError[]): FastifyReply {
  const body: Problem = { type: `https://voucher-till.dev/problems/${code}`, title: TITLES[status] ?? 'Error', status, detail, code, ...(errors ? { errors } : {}) };
  return reply.code(status).type('application/problem+json').send(body);
}

function fieldPath(issue: { instancePath?: string; params?: { issue?: { path?: PropertyKey[] } } }): string {
  const path = issue.params?.issue?.path;
  if (path && path.length) return path.map(String).join('.');
  return (issue.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof HqError) return sendProblem(reply, error.status, error.code, error.detail, error.errors);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'body';
    const errors = error.validation.map((v) => ({ path: [where, fieldPath(v as never)].filter(Boolean).join('.'), message: v.message ?? 'invalid' }));
    return sendProblem(reply, 400, 'invalid_request', `The request ${where} is not valid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`.slice(0, 1000), errors);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendProblem(reply, 413, 'body_too_large', 'The request body is larger than this endpoint accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendProblem(reply, 415, 'unsupported_media_type', 'Send the body as application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return sendProblem(reply, 400, 'invalid_json', 'The request body is not valid JSON.', [{ path: 'body', message: 'not valid JSON' }]);
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return sendProblem(reply, error.statusCode, 'bad_request', 'The request could not be processed.');
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(reply, 500, 'internal', 'Something went wrong at HQ; the error has been logged.');
}
