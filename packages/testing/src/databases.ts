/**
 * Scratch databases on real Postgres and MySQL/MariaDB servers, for adapter tests and benchmarks:
 * where the servers are (`SESHN_TEST_POSTGRES_URL`, `SESHN_TEST_MYSQL_URL`, defaulting to the
 * local CI servers), a freshly created database with a unique name per run, and its removal.
 * Nothing here touches a database it did not create.
 *
 * The drivers are passed in (`pg`, `mysql2/promise`) so this package needs neither installed.
 *
 * @example
 * import pg from 'pg';
 * const db = await openScratchDatabase('postgres', pg);
 * if (db) { ... postgresAdapter({ connectionString: db.url }) ...; await db.drop(); }
 * @module
 */
import { randomBytes } from 'node:crypto';

export type ServerKind = 'postgres' | 'mysql';

/** The subset of `pg` used here. */
export interface PgDriver {
  Client: new (config: {
    connectionString: string;
    connectionTimeoutMillis?: number;
  }) => {
    connect(): Promise<unknown>;
    query(sql: string): Promise<{ rows: Record<string, unknown>[] }>;
    end(): Promise<void>;
  };
}

/** The subset of `mysql2/promise` used here. */
export interface MysqlDriver {
  createConnection(config: { uri: string; connectTimeout?: number }): Promise<{
    query(sql: string): Promise<unknown>;
    end(): Promise<void>;
  }>;
}

export type DriverFor<K extends ServerKind> = K extends 'postgres' ? PgDriver : MysqlDriver;

export const DEFAULT_SERVER_URLS: Record<ServerKind, string> = {
  postgres: 'postgres://postgres@127.0.0.1:5432/test',
  mysql: 'mysql://root@127.0.0.1:3306/test',
};

const ENV_VARS: Record<ServerKind, string> = {
  postgres: 'SESHN_TEST_POSTGRES_URL',
  mysql: 'SESHN_TEST_MYSQL_URL',
};

/** Where the test server is: `SESHN_TEST_POSTGRES_URL` / `SESHN_TEST_MYSQL_URL`, else the local default. */
export function serverUrl(kind: ServerKind, env: NodeJS.ProcessEnv = process.env): string {
  return env[ENV_VARS[kind]] || DEFAULT_SERVER_URLS[kind];
}

/** The environment variable that points the tests at another server. */
export function serverUrlVariable(kind: ServerKind): string {
  return ENV_VARS[kind];
}

/** True on CI (`CI=true` or `CI=1`): a missing database server then fails the run. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === 'true' || env.CI === '1';
}

const SAFE_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** A database name nobody else uses: `<prefix>_<pid>_<random>`. */
export function scratchDatabaseName(prefix = 'seshn_test'): string {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  if (!SAFE_NAME.test(name)) throw new Error(`Unsafe scratch database name: ${name}`);
  return name;
}

/** The same server URL with another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A database created for one test run or benchmark. */
export interface ScratchDatabase {
  kind: ServerKind;
  name: string;
  /** Connection URL of the scratch database (same server, user and options as the server URL). */
  url: string;
  /** Drops the database (and, on Postgres, ends sessions still connected to it). Idempotent. */
  drop(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 5000;

async function adminPostgres<T>(
  pg: PgDriver,
  url: string,
  fn: (q: (sql: string) => Promise<unknown>) => Promise<T>,
) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  await client.connect();
  try {
    return await fn((sql) => client.query(sql));
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function adminMysql<T>(
  driver: MysqlDriver,
  url: string,
  fn: (q: (sql: string) => Promise<unknown>) => Promise<T>,
) {
  const conn = await driver.createConnection({ uri: url, connectTimeout: CONNECT_TIMEOUT_MS });
  try {
    return await fn((sql) => conn.query(sql));
  } finally {
    await conn.end().catch(() => undefined);
  }
}

/** Creates a fresh, empty database on the Postgres server at `server`. */
export async function createPostgresDatabase(
  pg: PgDriver,
  server = serverUrl('postgres'),
  name = scratchDatabaseName(),
): Promise<ScratchDatabase> {
  if (!SAFE_NAME.test(name)) throw new Error(`Unsafe database name: ${name}`);
  await adminPostgres(pg, server, (q) => q(`CREATE DATABASE "${name}"`));
  return {
    kind: 'postgres',
    name,
    url: withDatabase(server, name),
    drop: () =>
      adminPostgres(pg, server, async (q) => {
        // FORCE (Postgres 13+) ends sessions a crashed test left behind.
        await q(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(async () => {
          await q(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
          await q(`DROP DATABASE IF EXISTS "${name}"`);
        });
      }),
  };
}

/** Creates a fresh, empty database on the MySQL/MariaDB server at `server`. */
export async function createMysqlDatabase(
  driver: MysqlDriver,
  server = serverUrl('mysql'),
  name = scratchDatabaseName(),
): Promise<ScratchDatabase> {
  if (!SAFE_NAME.test(name)) throw new Error(`Unsafe database name: ${name}`);
  await adminMysql(driver, server, (q) => q(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`));
  return {
    kind: 'mysql',
    name,
    url: withDatabase(server, name),
    drop: () =>
      adminMysql(driver, server, (q) => q(`DROP DATABASE IF EXISTS \`${name}\``)).then(() => undefined),
  };
}

/** Creates a scratch database of `kind` on its test server. Throws when the server is unreachable. */
export function createScratchDatabase<K extends ServerKind>(
  kind: K,
  driver: DriverFor<K>,
  options: { server?: string; name?: string } = {},
): Promise<ScratchDatabase> {
  const server = options.server ?? serverUrl(kind);
  const name = options.name ?? scratchDatabaseName();
  return kind === 'postgres'
    ? createPostgresDatabase(driver as PgDriver, server, name)
    : createMysqlDatabase(driver as MysqlDriver, server, name);
}

/**
 * A scratch database for a test file, or `null` when the server cannot be reached on a
 * developer machine (a notice says how to point the tests at a server). With `CI=true` an
 * unreachable server throws: CI must never pass by skipping a database.
 */
export async function openScratchDatabase<K extends ServerKind>(
  kind: K,
  driver: DriverFor<K>,
  options: { server?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ScratchDatabase | null> {
  const env = options.env ?? process.env;
  const server = options.server ?? serverUrl(kind, env);
  try {
    return await createScratchDatabase(kind, driver, { server });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const where = redact(server);
    if (isCi(env)) {
      throw new Error(`CI: the ${kind} test server at ${where} is unavailable (${reason})`, { cause: error });
    }
    console.warn(
      `[seshn] ${kind} server at ${where} is unavailable (${reason}); its adapter tests are skipped. ` +
        `Set ${serverUrlVariable(kind)} to a server URL to run them (CI=true makes this an error).`,
    );
    return null;
  }
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}
