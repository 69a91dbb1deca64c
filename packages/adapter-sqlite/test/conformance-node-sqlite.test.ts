import { fileURLToPath } from 'node:url';
import { sqliteConformance } from '@seshn/testing';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import * as adapter from '../src/index.js';

// The whole suite again with Node's built-in driver (`driver: 'node:sqlite'`), races included.
// The raw reader stays on better-sqlite3: what is stored is read by another driver.
// node:sqlite exists from Node 22.13: on Node 20 this file reports itself skipped.
const available = process.getBuiltinModule?.('node:sqlite') !== undefined;

if (available) {
  sqliteConformance({
    Database,
    adapter,
    adapterOptions: { driver: 'node:sqlite' },
    name: 'sqlite (node:sqlite, file, WAL)',
    entry: fileURLToPath(new URL('../src/index.ts', import.meta.url)),
  });
} else {
  it(`node:sqlite needs Node 22.13+ — skipped on ${process.version}`, () => expect(available).toBe(false));
}
