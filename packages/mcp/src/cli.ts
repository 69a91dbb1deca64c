/**
 * `seshn-mcp` (`npx @seshn/mcp`): the Seshn MCP server on stdio, or on Streamable HTTP with
 * `--http [--port N] [--host H]`. Configured by `SESHN_API_KEY` and `SESHN_BASE_URL`.
 * @module
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { Seshn } from '@seshn/sdk';
import type { SeshnMcpClient } from './client.js';
import { seshnMcpListener } from './http.js';
import { createSeshnMcpServer, VERSION } from './server.js';

const USAGE = `Usage: seshn-mcp [--http [--port N] [--host H]]

The Seshn MCP server. Environment:
  SESHN_API_KEY    a secret API key (sk_live_… or sk_test_…), required
  SESHN_BASE_URL   the Seshn API, e.g. http://localhost:3000/v1, required

Modes:
  (default)        MCP over stdio, for Claude Desktop, Cursor and other local clients
  --http           MCP over Streamable HTTP at http://H:N/mcp (default 127.0.0.1:3333)
`;

export interface CliArgs {
  http: boolean;
  port: number;
  host: string;
  help: boolean;
  version: boolean;
}

export function parseArgs(argv: readonly string[]): CliArgs | string {
  const args: CliArgs = { http: false, port: 3333, host: '127.0.0.1', help: false, version: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=')
      ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
      : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--http') args.http = true;
    else if (flag === '--help' || flag === '-h') args.help = true;
    else if (flag === '--version' || flag === '-v') args.version = true;
    else if (flag === '--port' || flag === '-p') {
      const v = value();
      const port = Number(v);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        return `--port takes a port number (0–65535), not ${v ?? 'nothing'}`;
      args.port = port;
    } else if (flag === '--host') {
      const v = value();
      if (!v) return '--host takes a host name or address';
      args.host = v;
    } else return `Unknown argument ${a}`;
  }
  return args;
}

function fail(message: string): never {
  process.stderr.write(`seshn-mcp: ${message}\n`);
  process.exit(1);
}

/** The SDK client for the environment's key and base URL. */
function sdkClient(apiKey: string, baseUrl: string): SeshnMcpClient {
  return new Seshn(apiKey, { baseUrl });
}

export async function main(argv = process.argv.slice(2), env = process.env): Promise<void> {
  const args = parseArgs(argv);
  if (typeof args === 'string') fail(`${args}\n\n${USAGE}`);
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (args.version) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  const apiKey = env.SESHN_API_KEY?.trim();
  const baseUrl = env.SESHN_BASE_URL?.trim();
  const missing = [!apiKey && 'SESHN_API_KEY', !baseUrl && 'SESHN_BASE_URL'].filter(Boolean);
  if (missing.length) {
    fail(
      `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set. Set SESHN_API_KEY to a secret key (sk_test_… or sk_live_…) and SESHN_BASE_URL to your Seshn API (e.g. http://localhost:3000/v1), e.g. in the "env" of the MCP server's entry in your client's config.`,
    );
  }
  try {
    new URL(baseUrl!);
  } catch {
    fail(`SESHN_BASE_URL is not a URL: ${baseUrl}`);
  }
  const client = sdkClient(apiKey!, baseUrl!);

  if (!args.http) {
    const server = createSeshnMcpServer(client);
    await server.connect(new StdioServerTransport());
    // Logs go to stderr: stdout is the protocol.
    process.stderr.write(`seshn-mcp ${VERSION}: serving ${baseUrl} on stdio\n`);
    return;
  }
  const http = createServer(seshnMcpListener(client));
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(args.port, args.host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  process.stderr.write(
    `seshn-mcp ${VERSION}: serving ${baseUrl} over Streamable HTTP at http://${args.host}:${port}/mcp\n`,
  );
  const stop = () => http.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) =>
  fail(error instanceof Error ? (error.stack ?? error.message) : String(error)),
);
