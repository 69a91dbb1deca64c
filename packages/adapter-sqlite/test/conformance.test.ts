import { fileURLToPath } from 'node:url';
import { sqliteConformance } from '@seshn/testing';
import Database from 'better-sqlite3';
import * as adapter from '../src/index.js';

// A SQLite file in WAL mode, shared by 4 OS processes in the races.
// `npx seshn-conformance sqlite` runs this same call against an installed adapter.
sqliteConformance({ Database, adapter, entry: fileURLToPath(new URL('../src/index.ts', import.meta.url)) });
