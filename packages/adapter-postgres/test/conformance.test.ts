import { fileURLToPath } from 'node:url';
import { postgresConformance } from '@seshn/testing';
import pg from 'pg';
import * as adapter from '../src/index.js';

// One fresh database per run on SESHN_TEST_POSTGRES_URL (default: the local CI server), dropped
// afterwards. Without a server a local run registers a single test saying so; CI=true fails.
// `npx seshn-conformance postgres` runs this same call against an installed adapter.
await postgresConformance({ pg, adapter, entry: fileURLToPath(new URL('../src/index.ts', import.meta.url)) });
