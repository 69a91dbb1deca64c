/**
 * The Express 5 mount: `app.use('/v1', seshnRouter(seshn))`. Express strips the mount path
 * before the router sees the URL, so routing needs no base path. The request goes to the fetch
 * handler through @hono/node-server's bridge, which turns Node's request into a web `Request`
 * (and the `Response` back) without touching the global `Request`/`Response` of the app.
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Router } from 'express';
import type { HttpSeshn } from './core.js';
import { createSeshnHandler } from './handler.js';
import type { SeshnHttpOptions } from './options.js';

type ParsedRequest = IncomingMessage & { body?: unknown; rawBody?: unknown; _body?: boolean };

/**
 * When a body parser (`express.json()`) ran before this router, the stream is spent: the bridge
 * reads `req.rawBody` when it is a Buffer, so give it one, from the parsed body if nothing kept
 * the bytes (signature checks need the raw bytes: keep them with `express.json({ verify })`).
 */
function keepBody(req: ParsedRequest): void {
  if (req.rawBody instanceof Buffer || !(req.readableEnded || req._body) || req.body === undefined) return;
  const body = req.body;
  const raw = Buffer.isBuffer(body)
    ? body
    : typeof body === 'string'
      ? Buffer.from(body)
      : // A parser gives `{}` for no body: send none, as the client did.
        typeof body === 'object' && body !== null && Object.keys(body).length === 0
        ? Buffer.alloc(0)
        : Buffer.from(JSON.stringify(body));
  req.rawBody = raw;
  req.headers['content-length'] = String(raw.length);
}

/** A Node `(req, res)` listener serving the API (Express, `node:http`, Connect, …). */
export function seshnListener(
  seshn: HttpSeshn,
  options?: SeshnHttpOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const handler = createSeshnHandler(seshn, options);
  const listener = getRequestListener(handler, { overrideGlobalObjects: false });
  return (req, res) => {
    keepBody(req as ParsedRequest);
    return listener(req, res);
  };
}

/**
 * The API as an Express router. It answers every request that reaches it (an unknown path is a
 * `404` in the API's error shape), so mount it at its own path.
 * @example
 * app.use('/v1', seshnRouter(seshn));
 */
export function seshnRouter(seshn: HttpSeshn, options?: SeshnHttpOptions): Router {
  const listener = seshnListener(seshn, options);
  // Express is an optional peer: a bare function is a valid Router for `app.use` (it is what
  // express.Router() returns), so this package never imports express at run time.
  const router = ((req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => {
    listener(req, res).catch(next);
  }) as unknown as Router;
  return router;
}
