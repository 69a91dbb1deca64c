/**
 * The Fastify 5 mount: `fastify.register(seshnFastify, { seshn, prefix: '/v1' })`. An
 * encapsulated plugin: its catch-all route, its content-type parser (every type kept as the raw
 * bytes, for the handler to judge and for signature checks) and its error handler apply inside
 * the prefix only. Fastify keeps the prefix in the URL, so it is the handler's base path.
 * @module
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { HttpSeshn } from './core.js';
import { errorOutcome, HttpError } from './errors.js';
import { createSeshnHandler } from './handler.js';
import { newRequestId, resolveOptions, type SeshnHttpOptions } from './options.js';

export type SeshnFastifyOptions = SeshnHttpOptions & { seshn: HttpSeshn; prefix?: string };

function requestOf(request: FastifyRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, String(value));
  }
  const host = request.headers.host ?? 'localhost';
  const url = `${request.protocol}://${host}${request.url}`;
  const body = request.body;
  const hasBody =
    request.method !== 'GET' && request.method !== 'HEAD' && Buffer.isBuffer(body) && body.length > 0;
  return new Request(url, { method: request.method, headers, body: hasBody ? new Uint8Array(body) : null });
}

async function send(reply: FastifyReply, response: Response): Promise<void> {
  reply.status(response.status);
  response.headers.forEach((value, name) => {
    reply.header(name, value);
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  await reply.send(bytes);
}

/** The Fastify plugin. Options are the handler's, plus the `seshn` handle and Fastify's `prefix`. */
export const seshnFastify: FastifyPluginAsync<SeshnFastifyOptions> = async (
  fastify: FastifyInstance,
  pluginOptions: SeshnFastifyOptions,
) => {
  const { seshn, prefix: _prefix, ...options } = pluginOptions;
  const resolved = resolveOptions(options);
  const handler = createSeshnHandler(seshn, { ...options, basePath: options.basePath ?? fastify.prefix });

  fastify.removeAllContentTypeParsers();
  // Fastify enforces the limit while reading (before the handler): one byte over is its 413,
  // answered in the API's shape by the error handler below.
  fastify.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: resolved.bodyLimit },
    (_req, body, done) => {
      done(null, body);
    },
  );
  fastify.setErrorHandler(
    async (error: { statusCode?: number; message?: string; code?: string }, _request, reply) => {
      const requestId = resolved.requestId?.() ?? newRequestId();
      const status = error.statusCode ?? 500;
      const http =
        status === 413
          ? HttpError.of('payload_too_large', `The request body is larger than ${resolved.bodyLimit} bytes`, {
              limit: resolved.bodyLimit,
            })
          : status === 415
            ? HttpError.of('unsupported_media_type', 'Unsupported Content-Type')
            : status === 400
              ? new HttpError('validation_failed', 400, 'The request could not be read', { fields: [] })
              : error;
      const outcome = errorOutcome(http, requestId, resolved.logger);
      await reply
        .status(outcome.status)
        .headers({
          'content-type': 'application/json; charset=utf-8',
          'request-id': requestId,
          ...outcome.headers,
        })
        .send(outcome.body);
    },
  );

  const route = async (request: FastifyRequest, reply: FastifyReply) => {
    const env = { incoming: request.raw, outgoing: reply.raw };
    await send(reply, await handler(requestOf(request), env));
  };
  fastify.all('/', route);
  fastify.all('/*', route);
};

// Fastify reads these to name the plugin in its errors and logs.
Object.assign(seshnFastify, { [Symbol.for('fastify.display-name')]: 'seshn' });
