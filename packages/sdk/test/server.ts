/**
 * A real Seshn HTTP server for the SDK's tests: `seshnListener` on `node:http`, on SQLite in
 * memory, listening on 127.0.0.1:0, with a test-mode owner key. The clock and the id generator
 * are deterministic, so the same calls on two such engines give the same ids and timestamps.
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sqliteAdapter } from '@seshn/adapter-sqlite';
import { createSeshn, type IdGenerator, type Seshn as RootSeshn } from '@seshn/core';
import { type SeshnHttpOptions, seshnListener } from '@seshn/express-router';

/** Monday 2030-01-07 08:00 UTC: the clock every test engine reads. */
export const NOW = Date.parse('2030-01-07T08:00:00.000Z');

/** `rsc_00000001`, `rsc_00000002`, …: one counter per prefix. */
export function counterIds(): IdGenerator {
  const counters = new Map<string, number>();
  return (prefix) => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return `${prefix}_${String(n).padStart(8, '0')}`;
  };
}

/** An engine on a fresh in-memory SQLite database, on the fixed clock, with counter ids. */
export async function openEngine(): Promise<RootSeshn> {
  const seshn = createSeshn({
    adapter: sqliteAdapter({ filename: ':memory:' }),
    now: () => new Date(NOW),
    ids: counterIds(),
  });
  await seshn.migrate();
  return seshn;
}

export const SCOPE = { organizationId: 'org_default', mode: 'test' } as const;

export interface Listening {
  server: Server;
  origin: string;
  close(): Promise<void>;
}

/** Listens with `listener` on a free loopback port. */
export function listen(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<Listening> {
  const server = createServer(listener);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        server,
        origin: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}

export interface TestServer extends Listening {
  /** `http://127.0.0.1:<port>/v1` */
  baseUrl: string;
  /** The root handle the server serves. */
  seshn: RootSeshn;
  /** A test-mode owner key of `org_default`. */
  secret: string;
  close(): Promise<void>;
}

/** An engine served under `/v1` by `seshnListener`, with an owner test key. */
export async function startServer(options: SeshnHttpOptions = {}): Promise<TestServer> {
  const seshn = await openEngine();
  const { secret } = await seshn.withScope(SCOPE).apiKeys.create({ name: 'sdk tests', role: 'owner' });
  const listening = await listen(seshnListener(seshn, { basePath: '/v1', rateLimit: false, ...options }));
  return {
    ...listening,
    baseUrl: `${listening.origin}/v1`,
    seshn,
    secret,
    async close() {
      await listening.close();
      await seshn.close();
    },
  };
}
