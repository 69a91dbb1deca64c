/**
 * Bad input over HTTP: thousands of generated malformed requests (fast-check, seeded in
 * vitest.setup.ts) against every route of the operation table — wrong types, missing and extra
 * fields, huge and unicode strings (lone surrogates, NUL, RTL), bad and foreign ids (other
 * prefixes, another tenant's and the other mode's real ids), bad JSON, JSON that is not an
 * object, wrong methods, wrong and missing content types, absurd query strings, encoded slashes in
 * path ids, bad, absent and revoked keys.
 *
 * Every answer: never a 5xx; a 4xx is `{ error: { code, message, details, requestId } }` with a
 * documented code of that status and a `Request-Id` header equal to `error.requestId`; a request
 * to a write is refused; a single-defect request gets the status its defect calls for. And no row
 * changes: a raw dump of every `seshn_*` table (this file's own better-sqlite3 connection to the
 * same SQLite file) is identical before and after.
 *
 * Most requests go to the bare handler in-process (`new Request`, no socket: fast); a smaller run
 * goes through the Express mount over a real socket. Rate limiting is off (`rateLimit: false`):
 * with the default 100 requests per second per key, most requests would be 429s and never reach
 * what they probe. Failures are collected, not thrown, so one run names every kind of bug.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeshnHandler, HTTP_STATUS, type HttpLogger, seshnRouter } from '../src/index.js';
import { type FuzzTarget, openFuzzTarget } from './bad-input-fixture.js';
import { DOCUMENTED_CODES, type FuzzCase, generators, requestOf, tableRoutes } from './bad-input-requests.js';

/** Requests per run (sized for < 60 s on 2 shared cores). */
const SINGLE_RUNS = Number(process.env.SESHN_FUZZ_RUNS ?? 4_000);
const CHAOS_RUNS = Math.round(SINGLE_RUNS / 4);
const KEYED_RUNS = 150;
const SOCKET_RUNS = 500;

interface Finding {
  defect: string;
  op: string | null;
  request: string;
  status: number;
  problem: string;
  body: string;
}

class Recorder {
  readonly findings: Finding[] = [];
  readonly statuses = new Map<string, number>();
  readonly byDefect = new Map<string, number>();
  count = 0;
  readonly logged: string[] = [];

  /** A logger that keeps what the handler logs as its own failure (the cause of a 5xx). */
  readonly logger: HttpLogger = {
    debug: () => {},
    info: () => {},
    warn: () => {},
    error: (fields, message) => {
      const err = fields.err as Error | undefined;
      this.logged.push(`${message}: ${err?.stack?.split('\n').slice(0, 4).join(' | ') ?? String(err)}`);
    },
  };

  async check(c: FuzzCase, response: Response): Promise<void> {
    this.count++;
    this.byDefect.set(c.defect, (this.byDefect.get(c.defect) ?? 0) + 1);
    const text = await response.text();
    const status = response.status;
    const problems: string[] = [];
    const requestId = response.headers.get('request-id');
    if (status >= 500) problems.push(`${status} (a 5xx)`);
    if (!requestId || !/^req_[A-Za-z0-9]+$/.test(requestId))
      problems.push(`Request-Id header ${JSON.stringify(requestId)}`);
    if (c.mustRefuse && status < 400) problems.push(`a write answered ${status}`);
    if (c.expect && !c.expect.includes(status))
      problems.push(`status ${status}, expected ${c.expect.join(' or ')}`);
    let code = String(status);
    if (status >= 400) {
      const type = response.headers.get('content-type') ?? '';
      if (!type.startsWith('application/json')) problems.push(`content-type ${JSON.stringify(type)}`);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        problems.push('error body is not JSON');
      }
      const error = (body as { error?: Record<string, unknown> } | undefined)?.error;
      const keys = body && typeof body === 'object' ? Object.keys(body) : [];
      if (!error || keys.length !== 1) problems.push('not { error: … }');
      else {
        code = String(error.code);
        const fields = Object.keys(error).sort().join(',');
        if (fields !== 'code,details,message,requestId') problems.push(`error fields ${fields}`);
        if (!(code in DOCUMENTED_CODES)) problems.push(`undocumented code ${JSON.stringify(error.code)}`);
        else if (DOCUMENTED_CODES[code] !== status) problems.push(`code ${code} with status ${status}`);
        if (typeof error.message !== 'string' || error.message === '')
          problems.push('message not a non-empty string');
        if (!error.details || typeof error.details !== 'object' || Array.isArray(error.details))
          problems.push('details not an object');
        if (error.requestId !== requestId)
          problems.push(`error.requestId ${JSON.stringify(error.requestId)} ≠ header ${requestId}`);
      }
      if (status === 401 && !/^Bearer/i.test(response.headers.get('www-authenticate') ?? ''))
        problems.push('401 without WWW-Authenticate: Bearer');
      if (status === 405 && !response.headers.get('allow')) problems.push('405 without Allow');
    }
    const key = `${status} ${code}`;
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
    if (problems.length) {
      this.findings.push({
        defect: c.defect,
        op: c.op,
        request: describeCase(c),
        status,
        problem: problems.join('; '),
        body: text.slice(0, 300),
      });
    }
  }

  /** One line per distinct problem (by defect, operation and problem), with a sample request. */
  report(): string {
    const seen = new Map<string, { n: number; f: Finding }>();
    for (const f of this.findings) {
      const k = `${f.defect} | ${f.op} | ${f.problem.replace(/"[^"]*"/g, '…').replace(/req_\w+/g, 'req_…')}`;
      const e = seen.get(k);
      if (e) e.n++;
      else seen.set(k, { n: 1, f });
    }
    return [...seen.entries()]
      .map(([k, { n, f }]) => `× ${n}  ${k}\n     ${f.request}\n     → ${f.status} ${f.body}`)
      .join('\n');
  }

  summary(): string {
    const s = [...this.statuses.entries()].sort().map(([k, n]) => `${k}: ${n}`);
    const d = [...this.byDefect.entries()].sort().map(([k, n]) => `${k}: ${n}`);
    return `${this.count} requests; statuses { ${s.join(', ')} }; defects { ${d.join(', ')} }`;
  }
}

function describeCase(c: FuzzCase): string {
  const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);
  const headers = c.headers
    .map(
      ([k, v]) =>
        `${k}: ${cut(
          v.replace(/sk_\w+|pk_\w+/g, (m) => `${m.slice(0, 12)}…`),
          60,
        )}`,
    )
    .join('; ');
  const body =
    c.body === undefined ? '' : typeof c.body === 'string' ? c.body : Buffer.from(c.body).toString('latin1');
  return `${c.method} ${cut(c.target, 160)} [${headers}]${body ? ` ${JSON.stringify(cut(body, 200))}` : ''}`;
}

/** Rows of `after` that are not in `before` and the reverse, by table (empty when equal). */
function dumpDiff(
  before: Record<string, string[]>,
  after: Record<string, string[]>,
): Record<string, { added: string[]; removed: string[] }> {
  const out: Record<string, { added: string[]; removed: string[] }> = {};
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const b = new Set(before[table] ?? []);
    const a = new Set(after[table] ?? []);
    const added = [...a].filter((r) => !b.has(r));
    const removed = [...b].filter((r) => !a.has(r));
    if (added.length || removed.length)
      out[table] = { added: added.map((r) => r.slice(0, 400)), removed: removed.map((r) => r.slice(0, 400)) };
  }
  return out;
}

async function property(
  arb: fc.Arbitrary<FuzzCase>,
  numRuns: number,
  send: (c: FuzzCase) => Promise<void>,
): Promise<void> {
  // Never throws: the recorder collects problems, so the run goes on and reports every kind.
  await fc.assert(
    fc.asyncProperty(arb, async (c) => {
      await send(c);
    }),
    { numRuns },
  );
}

/** Object.prototype's own keys before any request (compared after the run). */
const PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

let keyCounter = 0;

/**
 * Each well-formed Idempotency-Key made unique (`<n>-<key>`): a generated key seen twice would be
 * a replay or a conflict of the first request, not the defect this one carries. Malformed keys
 * (chaos) stay as generated.
 */
function freshKeys(c: FuzzCase): FuzzCase {
  if (!c.headers.some(([h]) => h === 'idempotency-key')) return c;
  keyCounter++;
  return {
    ...c,
    headers: c.headers.map(([h, v]): [string, string] => [
      h,
      h === 'idempotency-key' && /^[A-Za-z0-9-]{1,200}$/.test(v) ? `${keyCounter}-${v}` : v,
    ]),
  };
}

let dir: string;
let target: FuzzTarget;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seshn-bad-input-'));
  target = await openFuzzTarget(dir);
});

afterAll(async () => {
  await target?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('bad input over HTTP (SQLite)', () => {
  it("the generator's premises hold: valid bodies are valid, every route and documented code is covered", () => {
    const routes = tableRoutes();
    expect(routes.length).toBeGreaterThan(40);
    for (const [name, body] of Object.entries(target.world.validBodies)) {
      const route = routes.find((r) => r.name === name);
      expect(route, name).toBeDefined();
      const path = Object.fromEntries(
        route!.segments
          .filter((s) => s.startsWith('{'))
          .map((s) => [s.slice(1, -1), s === '{index}' ? 0 : 'x_1']),
      );
      // Path fields are present but ignored by this check (their validity is the path's business).
      const input = { ...body, ...path };
      const result = route!.input.safeParse(input);
      const issues = result.success
        ? []
        : (result as unknown as { error: { issues: { path: unknown[] }[] } }).error.issues;
      expect(
        issues.filter((i) => !Object.keys(path).includes(String(i.path[0]))),
        `${name} body ${JSON.stringify(body)}`,
      ).toEqual([]);
    }
    for (const [code, status] of Object.entries(HTTP_STATUS))
      expect(DOCUMENTED_CODES[code], code).toBe(status);
  });

  it(`the bare handler in-process: ${SINGLE_RUNS} single-defect and ${CHAOS_RUNS} mixed requests, no 5xx, one error shape, no row changed`, async () => {
    const recorder = new Recorder();
    const handler = createSeshnHandler(target.seshn, {
      basePath: '/v1',
      rateLimit: false,
      logger: recorder.logger,
    });
    const { single, chaos } = generators(target.world);
    const before = target.dump();
    const send = async (c: FuzzCase) => {
      const fresh = freshKeys(c);
      await recorder.check(fresh, await handler(requestOf(fresh, 'http://seshn.test')));
    };
    await property(single, SINGLE_RUNS, send);
    await property(chaos, CHAOS_RUNS, send);
    const after = target.dump();
    console.info(`[bad-input] in-process: ${recorder.summary()}`);
    if (recorder.findings.length) console.info(`[bad-input] findings:\n${recorder.report()}`);
    if (recorder.logged.length)
      console.info(`[bad-input] logged failures (first 5):\n${recorder.logged.slice(0, 5).join('\n')}`);
    expect({ findings: recorder.report(), changed: dumpDiff(before, after) }).toEqual({
      findings: '',
      changed: {},
    });
    expect(recorder.count).toBe(SINGLE_RUNS + CHAOS_RUNS);
    // `__proto__` keys in bodies and query strings polluted nothing (the handler runs in this process).
    expect(Object.getOwnPropertyNames(Object.prototype).filter((k) => !PROTOTYPE_KEYS.has(k))).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 120_000);

  it(`writes refused inside the operation with an Idempotency-Key (${KEYED_RUNS}): only the idempotency store may gain rows, each a stored 4xx`, async () => {
    const recorder = new Recorder();
    const handler = createSeshnHandler(target.seshn, {
      basePath: '/v1',
      rateLimit: false,
      logger: recorder.logger,
    });
    const before = target.dump();
    await property(generators(target.world).keyedRefusals, KEYED_RUNS, async (c) => {
      const keyed = freshKeys(c);
      await recorder.check(keyed, await handler(requestOf(keyed, 'http://seshn.test')));
    });
    const diff = dumpDiff(before, target.dump());
    console.info(`[bad-input] keyed refusals: ${recorder.summary()}`);
    expect(recorder.report()).toBe('');
    // Justified change: an operation's own 4xx outcome is stored under its Idempotency-Key (a
    // retry replays the same refusal, byte for byte), so the idempotency table may gain rows —
    // only new ones, each holding a `not_found`; a `forbidden` is never stored (the operation did
    // not start), and no other table may change.
    const tables = Object.keys(diff);
    expect(tables.filter((t) => !/idempot|request/i.test(t))).toEqual([]);
    for (const t of tables) {
      expect(diff[t]!.removed, t).toEqual([]);
      for (const row of diff[t]!.added)
        expect(row, t).toMatch(/\\"code\\":\\"not_found\\"|"code":"not_found"/);
    }
  }, 60_000);

  it(`the Express mount over a socket: ${SOCKET_RUNS} requests, the same invariants`, async () => {
    const recorder = new Recorder();
    const app = express();
    app.use('/v1', seshnRouter(target.seshn, { rateLimit: false, logger: recorder.logger }));
    const server: Server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const { single, chaos } = generators(target.world, { socket: true });
      const before = target.dump();
      const send = async (c: FuzzCase) => {
        const fresh = freshKeys(c);
        await recorder.check(fresh, await fetch(requestOf(fresh, origin)));
      };
      await property(single, Math.round(SOCKET_RUNS * 0.8), send);
      await property(chaos, Math.round(SOCKET_RUNS * 0.2), send);
      const after = target.dump();
      console.info(`[bad-input] express: ${recorder.summary()}`);
      if (recorder.findings.length) console.info(`[bad-input] express findings:\n${recorder.report()}`);
      if (recorder.logged.length)
        console.info(
          `[bad-input] express logged failures (first 5):\n${recorder.logged.slice(0, 5).join('\n')}`,
        );
      expect({ findings: recorder.report(), changed: dumpDiff(before, after) }).toEqual({
        findings: '',
        changed: {},
      });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 60_000);
});
