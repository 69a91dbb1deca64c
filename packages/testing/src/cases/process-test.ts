/**
 * A test that needs several OS processes on one database: skipped, with a check that the adapter
 * says so, only where the database is private to one process (SQLite `:memory:`).
 * @module
 */
import { expect, it } from 'vitest';
import type { SuiteContext } from '../suite.js';

export function processTest(get: () => SuiteContext, name: string, fn: () => Promise<void>): void {
  it(name, async () => {
    const { target, adapter } = get();
    if (!target.processAdapter) {
      expect(adapter.capabilities.multiProcess).toBe(false);
      return;
    }
    await fn();
  }, 120_000);
}
