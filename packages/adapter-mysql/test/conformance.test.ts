import { fileURLToPath } from 'node:url';
import { mysqlConformance } from '@seshn/testing';
import mysql from 'mysql2';
import mysqlPromise from 'mysql2/promise';
import * as adapter from '../src/index.js';

// One fresh database per run on SESHN_TEST_MYSQL_URL (default: the local CI server), dropped
// afterwards. Without a server a local run registers a single test saying so; CI=true fails.
// `npx seshn-conformance mysql` runs this same call against an installed adapter.
await mysqlConformance({
  mysql,
  mysqlPromise,
  adapter,
  entry: fileURLToPath(new URL('../src/index.ts', import.meta.url)),
});
