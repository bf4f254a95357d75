// Every error leaves HQ as application/problem+json (RFC 9457) with a machine-readable `code`;
// no stack trace or SQL ever reaches a client — those go to the log.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { issuePath, issuesText } from '../core/zod-issues';
import type { Problem, ProblemCode } from '../sync/protocol';
import { HqError, type FieldError } from './hq-error';

export const PROBLEM_TYPE = 'application/problem+json';

export const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout', 409: 'Conflict',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large',
  500: 'Internal Server Error', 503: 'Service Unavailable',
};

function problem(status: number, code: ProblemCode, detail: string, errors?: FieldError[]): Problem {
  return { type: `https://voucher-till.dev/problems/${code}`, title: TITLES[status] ?? 'Error', status, detail, code, ...(errors ? { errors } : {}) };
}

export function sendProblem(reply: FastifyReply, status: number, code: ProblemCode, detail: string, errors?: FieldError[]): FastifyReply {
  return reply.code(status).type(PROBLEM_TYPE).send(problem(status, code, detail, errors));
}

/** Where in its part of the request an issue is: zod's path, or the JSON pointer when there is none. */
function fieldPath(issue: { instancePath?: string; params?: { issue?: { path?: PropertyKey[] } } }): string {
  const path = issue.params?.issue?.path;
  if (path && path.length) return issuePath(path);
  return issuePath((issue.instancePath ?? '').replace(/^\//, '').split('/'));
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof HqError) return sendProblem(reply, error.status, error.code, error.detail, error.errors);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'body';
    const errors = error.validation.map((v) => ({ path: issuePath([where, fieldPath(v as never)].filter(Boolean)), message: v.message ?? 'invalid' }));
    return sendProblem(reply, 400, 'invalid_request', `The request ${where} is not valid: ${issuesText(errors)}`.slice(0, 1000), errors);
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

/**
 * Errors the router meets before any route runs (Fastify's `frameworkErrors`). A path parameter
 * longer than the router takes (far beyond any schema's limit) and a URL that is not valid
 * percent-encoding are bad requests like any other, not a bare 414 or Fastify's own JSON.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  switch (error.code) {
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return sendProblem(reply, 400, 'invalid_request', 'A path parameter is far longer than any this API takes.', [{ path: 'params', message: 'too long' }]);
    case 'FST_ERR_BAD_URL':
      return sendProblem(reply, 400, 'invalid_url', 'The URL is not valid percent-encoding (UTF-8).', [{ path: 'url', message: 'not valid percent-encoding' }]);
  }
  return errorHandler(error, request, reply);
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (headers over the size limit, a
 * request line that is not HTTP, a client too slow to send its headers): answered on the socket
 * itself, as problem+json, then the connection is closed — as Node's own handler does, and only when
 * no response has started on that socket (a second status line would corrupt it).
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, detail]: [number, ProblemCode, string] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'The request line and headers are larger than HQ accepts.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'The request was not received in time.']
        : [400, 'bad_request', 'The request is not valid HTTP.'];
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const body = JSON.stringify(problem(status, code, detail));
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}
