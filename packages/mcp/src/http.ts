/**
 * The Streamable HTTP mode: a `node:http` listener that answers MCP at `POST /mcp`, statelessly
 * (a fresh server and transport per request, over one shared Seshn client).
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  localhostHostValidation,
  localhostOriginValidation,
  NodeStreamableHTTPServerTransport,
} from '@modelcontextprotocol/node';
import type { SeshnMcpClient } from './client.js';
import { createSeshnMcpServer, type SeshnMcpServerOptions } from './server.js';

export interface SeshnMcpHttpOptions extends SeshnMcpServerOptions {
  /** The path MCP is served on (default `/mcp`). */
  path?: string;
  /**
   * Accept only `Host` and `Origin` headers naming localhost (DNS-rebinding protection); default
   * `true`. Turn it off only behind a proxy that checks them.
   */
  localhostOnly?: boolean;
}

function reply(res: ServerResponse, status: number, message: string) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/** A `(req, res)` listener serving the Seshn tools over MCP Streamable HTTP. */
export function seshnMcpListener(client: SeshnMcpClient, options: SeshnMcpHttpOptions = {}) {
  const path = options.path ?? '/mcp';
  const checkHost = options.localhostOnly === false ? null : localhostHostValidation();
  const checkOrigin = options.localhostOnly === false ? null : localhostOriginValidation();
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== path) return reply(res, 404, `Not found: MCP is served at ${path}`);
    if (checkHost && !checkHost(req, res)) return;
    if (checkOrigin && !checkOrigin(req, res)) return;
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return reply(res, 405, 'Method not allowed: this stateless server takes POST only');
    }
    const server = createSeshnMcpServer(client, options);
    const transport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res);
    } catch (error) {
      if (!res.headersSent) reply(res, 500, `Internal error: ${(error as Error)?.message ?? String(error)}`);
    }
  };
}
