/**
 * The SQL store implements exactly the contract core checks adapters for (`ADAPTER_CONTRACT`),
 * and every record kind of the port has a table.
 */
import { ADAPTER_CONTRACT, ADAPTER_METHODS } from '@seshn/core';
import { describe, expect, it } from 'vitest';
import { RECORD_TABLES, SqlStore } from './index.js';

describe('SqlStore and the adapter contract', () => {
  it('has a method for every store method of the contract and no other public method', () => {
    const store = Object.getOwnPropertyNames(SqlStore.prototype).filter((m) => m !== 'constructor');
    const contract = ADAPTER_METHODS.filter((m) => ADAPTER_CONTRACT[m] !== 'lifecycle');
    expect([...store].sort()).toEqual([...contract].sort());
  });

  it('has a table for every record kind, each a distinct table', () => {
    const tables = Object.values(RECORD_TABLES).map((t) => t.table);
    expect(Object.keys(RECORD_TABLES).sort()).toEqual(
      [
        'allocation',
        'booking',
        'contact',
        'event',
        'resource',
        'series',
        'service',
        'organization',
        'apiKey',
        'audit',
        'testClock',
        'product',
        'entitlement',
        'account',
        'transfer',
        'waitlistEntry',
      ].sort(),
    );
    expect(new Set(tables).size).toBe(tables.length);
  });
});
