/**
 * The raw-SQL baseline of the reservation benchmarks: the least SQL that books seats on one hot
 * slot correctly, with no library in between, on the same machine and in the same invocation as
 * `bookings.create`, so that the benchmarks can report Seshn as a ratio to it (on a shared, noisy
 * machine only side-by-side ratios mean anything).
 *
 * The transaction, on every database:
 *
 * ```sql
 * BEGIN;                      -- SQLite: BEGIN IMMEDIATE; MySQL: START TRANSACTION
 * UPDATE slot SET booked = booked + 1 WHERE id = 1 AND booked + 1 <= capacity;
 * INSERT INTO booking (slot_id, seats, client_id) VALUES (1, 1, <client>);   -- only if a row changed
 * COMMIT;
 * ```
 *
 * on a `slot` table (id, capacity, booked, CHECK 0 ≤ booked ≤ capacity) holding one slot of
 * 1,000,000 seats and a `booking` table (id, slot_id, seats, client_id, created_at) indexed by
 * slot. Every client loops as fast as it can; after a warm-up only the attempts completing inside
 * the measured window count, and afterwards the stored data must add up (`booked` = the sum of
 * the bookings' seats).
 *
 * - **SQLite** (better-sqlite3): a file in WAL mode, `synchronous = NORMAL`, a busy timeout, one OS
 *   process per client (better-sqlite3 is synchronous: one connection per process), all on one file.
 * - **Postgres** (pg) and **MySQL/MariaDB** (mysql2, text protocol as Kysely uses it): K async
 *   clients in one process, one connection each, the server's default durability; the tables are
 *   dropped and created in the database given, so give it one of its own.
 *
 * Run it alone: `node --conditions=dev-source --import tsx bench/lib/raw-reserve.ts sqlite --procs 4`
 * or `… raw-reserve.ts postgres|mysql --k 8 --url <server url with a scratch database>`.
 * @module
 */
import { execFile, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type HotSlotRun, latencySummary, runLoops, runWorkerWindow } from './measure.js';
import type { RawWorkerJob, RawWorkerResult } from './raw-sqlite-worker.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const WORKER = join(HERE, 'raw-sqlite-worker.ts');

/** Seats of the one slot: room for every attempt of a run. */
export const RAW_CAPACITY = 1_000_000;

export interface RawRunOptions {
  /** Measured window, seconds. */
  seconds: number;
  /** Unmeasured warm-up before the window, seconds. */
  warmup: number;
}

// ---------------------------------------------------------------------------------------------
// SQLite

/** The slice of better-sqlite3 used here (its types are not visible from the workspace root). */
export interface RawSqliteDatabase {
  prepare(sql: string): {
    run(...params: unknown[]): { changes: number };
    get(...params: unknown[]): unknown;
  };
  pragma(source: string, options?: { simple: boolean }): unknown;
  exec(sql: string): void;
  close(): void;
  readonly inTransaction: boolean;
}
export type RawSqliteDriver = new (file: string, options?: { readonly?: boolean }) => RawSqliteDatabase;

/** better-sqlite3 is a dependency of the SQLite adapter package, not of the workspace root. */
export function loadBetterSqlite3(): RawSqliteDriver {
  const require = createRequire(join(ROOT, 'packages', 'adapter-sqlite', 'package.json'));
  return require('better-sqlite3') as RawSqliteDriver;
}

/** A new database file with the two tables and the one slot, its WAL checkpointed empty. */
function freshSqlite(Database: RawSqliteDriver, file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE slot (
      id INTEGER PRIMARY KEY,
      capacity INTEGER NOT NULL,
      booked INTEGER NOT NULL DEFAULT 0,
      CHECK (booked >= 0 AND booked <= capacity));
    CREATE TABLE booking (
      id INTEGER PRIMARY KEY,
      slot_id INTEGER NOT NULL REFERENCES slot(id),
      seats INTEGER NOT NULL CHECK (seats > 0),
      client_id INTEGER NOT NULL,
      created_at INTEGER NOT NULL DEFAULT (unixepoch()));
    CREATE INDEX booking_slot_idx ON booking (slot_id);`);
  db.prepare('INSERT INTO slot (id, capacity, booked) VALUES (1, ?, 0)').run(RAW_CAPACITY);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

function startSqliteWorker(job: RawWorkerJob) {
  const child = fork(WORKER, [JSON.stringify(job)], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  const done = new Promise<RawWorkerResult>((resolve, reject) => {
    let result: RawWorkerResult | null = null;
    child.on('message', (m: { ready: true } | RawWorkerResult) => {
      if ('ready' in m) onReady();
      else result = m;
    });
    child.on('error', reject);
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`raw worker exited ${code}`))));
  });
  // A worker that dies while booting must not leave the parent waiting for "ready" forever.
  return { child, ready: Promise.race([ready, done.then(() => undefined)]), done };
}

/**
 * The hot slot on a SQLite file from `procs` processes. The window starts once every worker has
 * booted and prepared its statements (TypeScript boots slower than the transaction runs), after
 * `warmup` seconds in which the workers already loop.
 */
export async function rawSqliteHot(o: RawRunOptions & { procs: number; busyTimeoutMs?: number }) {
  const Database = loadBetterSqlite3();
  const dir = mkdtempSync(join(tmpdir(), 'seshn-raw-sqlite-'));
  try {
    const file = join(dir, 'raw.sqlite');
    freshSqlite(Database, file);
    const workers = Array.from({ length: o.procs }, (_, client) =>
      startSqliteWorker({ file, client, busyTimeoutMs: o.busyTimeoutMs ?? 5000, synchronous: 'NORMAL' }),
    );
    const { counts, errorSamples, lat, foreignCpuPct, results } = await runWorkerWindow(
      workers,
      o.warmup,
      o.seconds,
    );
    const check = new Database(file, { readonly: true });
    const slot = check.prepare('SELECT booked FROM slot WHERE id = 1').get() as { booked: number };
    const stored = check
      .prepare('SELECT count(*) AS n, coalesce(sum(seats), 0) AS seats FROM booking')
      .get() as { n: number; seats: number };
    check.close();
    const sync = results[0]?.synchronous;
    return {
      okPerS: Math.round(counts.ok / o.seconds),
      ...counts,
      errorSamples,
      ...latencySummary(lat),
      foreignCpuPct,
      consistent: slot.booked === stored.seats,
      note: `${stored.n} bookings stored, synchronous=${sync === 1 ? 'NORMAL' : sync}`,
    } satisfies HotSlotRun;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Postgres and MySQL/MariaDB

export type ServerKind = 'postgres' | 'mysql';

/** One connection, reduced to what the baseline needs: a statement and its affected-row count. */
export interface RawConnection {
  exec(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[]; affected: number }>;
  end(): Promise<void>;
}

interface PgClient {
  connect(): Promise<unknown>;
  query(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
  end(): Promise<void>;
}
interface MysqlConnection {
  query(sql: string, params?: unknown[]): Promise<[unknown, unknown]>;
  end(): Promise<void>;
}

const fromPackage = (pkg: string) => createRequire(join(ROOT, 'packages', pkg, 'package.json'));

/** A plain driver connection to the database `url` names (pg or mysql2, no pool). */
export async function connectRaw(kind: ServerKind, url: string): Promise<RawConnection> {
  if (kind === 'postgres') {
    const { Client } = fromPackage('adapter-postgres')('pg') as {
      Client: new (config: { connectionString: string }) => PgClient;
    };
    const c = new Client({ connectionString: url });
    await c.connect();
    return {
      exec: async (sql, params) => {
        const r = await c.query(sql, params);
        return { rows: r.rows, affected: r.rowCount ?? 0 };
      },
      end: () => c.end(),
    };
  }
  const mysql = fromPackage('adapter-mysql')('mysql2/promise') as {
    createConnection(config: {
      uri: string;
      multipleStatements: boolean;
      dateStrings: boolean;
    }): Promise<MysqlConnection>;
  };
  const c = await mysql.createConnection({ uri: url, multipleStatements: true, dateStrings: false });
  return {
    exec: async (sql, params) => {
      const [r] = await c.query(sql, params);
      return Array.isArray(r)
        ? { rows: r as Record<string, unknown>[], affected: 0 }
        : { rows: [], affected: (r as { affectedRows: number }).affectedRows };
    },
    end: () => c.end(),
  };
}

/** Drops and creates `slot` and `booking` with the one slot. */
async function setupServer(kind: ServerKind, admin: RawConnection): Promise<void> {
  if (kind === 'postgres') {
    await admin.exec('DROP TABLE IF EXISTS booking, slot CASCADE');
    await admin.exec(`CREATE TABLE slot (
        id int PRIMARY KEY,
        capacity int NOT NULL,
        booked int NOT NULL DEFAULT 0,
        CHECK (booked >= 0 AND booked <= capacity))`);
    await admin.exec(`CREATE TABLE booking (
        id bigserial PRIMARY KEY,
        slot_id int NOT NULL REFERENCES slot(id),
        seats int NOT NULL CHECK (seats > 0),
        client_id int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now())`);
    await admin.exec('CREATE INDEX booking_slot_idx ON booking (slot_id)');
    await admin.exec('INSERT INTO slot (id, capacity, booked) VALUES (1, $1, 0)', [RAW_CAPACITY]);
    // Start from a clean WAL; a user without the right to checkpoint just skips it.
    await admin.exec('CHECKPOINT').catch(() => undefined);
    return;
  }
  await admin.exec('DROP TABLE IF EXISTS booking, slot');
  await admin.exec(`CREATE TABLE slot (
      id INT PRIMARY KEY,
      capacity INT NOT NULL,
      booked INT NOT NULL DEFAULT 0,
      CONSTRAINT slot_booked_range CHECK (booked >= 0 AND booked <= capacity)) ENGINE=InnoDB`);
  await admin.exec(`CREATE TABLE booking (
      id BIGINT AUTO_INCREMENT PRIMARY KEY,
      slot_id INT NOT NULL,
      seats INT NOT NULL CHECK (seats > 0),
      client_id INT NOT NULL,
      created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
      KEY booking_slot_idx (slot_id),
      CONSTRAINT booking_slot_fk FOREIGN KEY (slot_id) REFERENCES slot(id)) ENGINE=InnoDB`);
  await admin.exec('INSERT INTO slot (id, capacity, booked) VALUES (1, ?, 0)', [RAW_CAPACITY]);
}

/** The statements of the hot transaction in each dialect. */
const HOT_SQL: Record<ServerKind, { begin: string; update: string; insert: string }> = {
  postgres: {
    begin: 'BEGIN',
    update: 'UPDATE slot SET booked = booked + $2 WHERE id = $1 AND booked + $2 <= capacity',
    insert: 'INSERT INTO booking (slot_id, seats, client_id) VALUES ($1, $2, $3)',
  },
  mysql: {
    begin: 'START TRANSACTION',
    update: 'UPDATE slot SET booked = booked + ? WHERE id = ? AND booked + ? <= capacity',
    insert: 'INSERT INTO booking (slot_id, seats, client_id) VALUES (?, ?, ?)',
  },
};

/** One booking of one seat: the transaction of the module comment. */
function hotTransaction(kind: ServerKind) {
  const sql = HOT_SQL[kind];
  const updateParams = kind === 'postgres' ? [1, 1] : [1, 1, 1];
  return async (c: RawConnection, client: number): Promise<'ok' | 'rejected'> => {
    await c.exec(sql.begin);
    const updated = await c.exec(sql.update, updateParams);
    if (updated.affected !== 1) {
      await c.exec('ROLLBACK');
      return 'rejected';
    }
    await c.exec(sql.insert, [1, 1, client]);
    await c.exec('COMMIT');
    return 'ok';
  };
}

/** The server's version and durability setting, for the report. */
async function serverNote(kind: ServerKind, admin: RawConnection): Promise<string> {
  if (kind === 'postgres') {
    const v = (await admin.exec('SHOW server_version')).rows[0]?.server_version;
    const sc = (await admin.exec('SHOW synchronous_commit')).rows[0]?.synchronous_commit;
    return `server ${v}, synchronous_commit=${sc}`;
  }
  const r = (await admin.exec('SELECT @@version AS v, @@innodb_flush_log_at_trx_commit AS f')).rows[0];
  return `server ${r?.v}, innodb_flush_log_at_trx_commit=${r?.f}`;
}

/**
 * The hot slot on Postgres or MySQL/MariaDB from K clients (one connection each) in this
 * process, in the database `url` names (its `slot` and `booking` tables are replaced).
 */
export async function rawServerHot(
  kind: ServerKind,
  url: string,
  o: RawRunOptions & { k: number },
): Promise<HotSlotRun> {
  const admin = await connectRaw(kind, url);
  const clients: RawConnection[] = [];
  try {
    const note = await serverNote(kind, admin);
    await setupServer(kind, admin);
    for (let i = 0; i < o.k; i++) clients.push(await connectRaw(kind, url));
    const book = hotTransaction(kind);
    const run = await runLoops({
      k: o.k,
      seconds: o.seconds,
      warmup: o.warmup,
      op: async (client) => {
        const c = clients[client]!;
        try {
          return await book(c, client);
        } catch (error) {
          await c.exec('ROLLBACK').catch(() => undefined);
          throw error;
        }
      },
      describe: (e) => {
        const error = e as { code?: string; message?: string };
        return `${error.code ?? ''} ${String(error.message ?? e).slice(0, 120)}`;
      },
    });
    const slot = (await admin.exec('SELECT booked FROM slot WHERE id = 1')).rows[0];
    const stored = (await admin.exec('SELECT count(*) AS n, coalesce(sum(seats), 0) AS seats FROM booking'))
      .rows[0];
    const n = Number(stored?.n);
    return {
      okPerS: Math.round(run.counts.ok / run.elapsedS),
      ...run.counts,
      errorSamples: run.errorSamples,
      ...latencySummary(run.lat),
      foreignCpuPct: run.foreignCpuPct,
      consistent: Number(slot?.booked) === Number(stored?.seats),
      note: `${n} bookings stored, ${note}`,
    };
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await admin.end().catch(() => undefined);
  }
}

/**
 * {@link rawServerHot} in a process of its own (this file's command line), as the benchmarks run
 * it: the clients then share no event loop, heap or JIT state with the benchmark that compares
 * against them.
 */
export function rawServerHotInChild(
  kind: ServerKind,
  url: string,
  o: RawRunOptions & { k: number },
): Promise<HotSlotRun> {
  const args = ['--import', 'tsx', fileURLToPath(import.meta.url), kind, '--url', url, '--k', String(o.k)];
  args.push('--seconds', String(o.seconds), '--warmup', String(o.warmup));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: ROOT, maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`raw baseline failed: ${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as HotSlotRun);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Command line

async function main(argv: string[]): Promise<void> {
  const [target, ...rest] = argv;
  const flag = (name: string, fallback: string) => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 && rest[i + 1] !== undefined ? rest[i + 1]! : fallback;
  };
  const timing = { seconds: Number(flag('seconds', '5')), warmup: Number(flag('warmup', '1')) };
  let result: HotSlotRun;
  if (target === 'sqlite') {
    result = await rawSqliteHot({ ...timing, procs: Number(flag('procs', '1')) });
  } else if (target === 'postgres' || target === 'mysql') {
    const url = flag('url', '');
    if (!url) throw new Error('--url <server url naming a database of its own> is required');
    result = await rawServerHot(target, url, { ...timing, k: Number(flag('k', '8')) });
  } else {
    throw new Error(
      'usage: raw-reserve.ts sqlite [--procs N] | postgres|mysql --url URL [--k N] [--seconds S] [--warmup S]',
    );
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
