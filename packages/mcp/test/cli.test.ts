/**
 * `seshn-mcp` as a child process, started as the README's Claude Desktop / Cursor config starts it
 * (command + args + env; in the repository the command is the package's bin script, which runs
 * the TypeScript source through tsx): the MCP SDK's `Client` over stdio runs the same short flow,
 * and over Streamable HTTP (`--http --port 0`). Missing configuration is a clear error and exit 1.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeshnFixture, startSeshn } from './fixture.js';
import { bookingFlow, errorsAreToolErrors, listsValidTools } from './flow.js';

const BIN = fileURLToPath(new URL('../bin/seshn-mcp.js', import.meta.url));

/** The README's config with the bin script for `npx -y @seshn/mcp`. */
function config(fx: SeshnFixture, args: string[] = []) {
  return {
    command: process.execPath,
    args: [BIN, ...args],
    env: { PATH: process.env.PATH ?? '', SESHN_API_KEY: fx.secret, SESHN_BASE_URL: fx.baseUrl },
  };
}

let fx: SeshnFixture;
beforeAll(async () => {
  fx = await startSeshn();
});
afterAll(() => fx?.close());

describe('seshn-mcp on stdio', () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ name: 'seshn-mcp-stdio-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ ...config(fx), stderr: 'pipe' }));
  }, 60_000);
  afterAll(() => client?.close());

  it('lists the tools', () => listsValidTools(client));
  it('checks availability, quotes, books 2 seats and cancels', () => bookingFlow(client, fx));
  it('answers a bad argument and a full slot with tool errors, and keeps serving', () =>
    errorsAreToolErrors(client, fx));
});

function run(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('seshn-mcp configuration', () => {
  it('exits 1 with a clear message when SESHN_API_KEY or SESHN_BASE_URL is missing', async () => {
    const none = await run([], {});
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/SESHN_API_KEY and SESHN_BASE_URL are not set/);
    const noUrl = await run([], { SESHN_API_KEY: 'sk_test_x' });
    expect(noUrl.code).toBe(1);
    expect(noUrl.stderr).toMatch(/SESHN_BASE_URL is not set/);
    const badPort = await run(['--http', '--port', 'x'], {
      SESHN_API_KEY: 'sk_test_x',
      SESHN_BASE_URL: fx.baseUrl,
    });
    expect(badPort.code).toBe(1);
    expect(badPort.stderr).toMatch(/--port takes a port number/);
  }, 60_000);
});

describe('seshn-mcp --http', () => {
  let child: ReturnType<typeof spawn>;
  let url: URL;
  beforeAll(async () => {
    const c = config(fx, ['--http', '--port', '0']);
    child = spawn(c.command, c.args, { env: c.env, stdio: ['ignore', 'ignore', 'pipe'] });
    url = await new Promise<URL>((resolve, reject) => {
      let stderr = '';
      child.stderr!.on('data', (d) => {
        stderr += d;
        const m = /at (http:\/\/\S+\/mcp)/.exec(stderr);
        if (m) resolve(new URL(m[1]!));
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
  }, 60_000);
  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it('serves the tools over Streamable HTTP', async () => {
    const client = new Client({ name: 'seshn-mcp-http-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(url));
    try {
      await listsValidTools(client);
      const r = await client.callTool({
        name: 'seshn_check_availability',
        arguments: { serviceId: fx.serviceId, from: fx.day, to: fx.day },
      });
      expect(r.isError).toBeFalsy();
      expect((r.structuredContent as { slots: unknown[] }).slots.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });
});
