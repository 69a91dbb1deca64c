/**
 * The conformance suite: every adapter runs exactly these tests from one small test file.
 * @module
 */
import type { SeshnAdapter } from '@seshn/core';
import { afterAll, beforeAll, describe } from 'vitest';
import { availabilityRulesTests } from './cases/availability-rules.js';
import { badInputTests } from './cases/bad-input.js';
import { catalogTests } from './cases/catalog.js';
import { creditTests } from './cases/credits.js';
import { holdTests } from './cases/holds.js';
import { inputContractTests } from './cases/input-contract.js';
import { isolationTests } from './cases/isolation.js';
import { ledgerTests } from './cases/ledger.js';
import { lifecycleTests } from './cases/lifecycle.js';
import { lockOrderTests } from './cases/lock-order.js';
import { modelTests } from './cases/model.js';
import { operationTests } from './cases/operations.js';
import { outboxTests } from './cases/outbox.js';
import { raceTests } from './cases/races.js';
import { recordStoreTests } from './cases/records.js';
import { seriesTests } from './cases/series.js';
import { tenancyTests } from './cases/tenancy.js';
import { waitlistTests } from './cases/waitlist.js';
import { workTests } from './cases/work.js';
import { type RawReader, rawReader } from './raw.js';
import type { ConformanceTarget } from './types.js';

export interface SuiteContext {
  adapter: SeshnAdapter;
  raw: RawReader;
  target: ConformanceTarget;
}

export function runConformanceSuite(target: ConformanceTarget): void {
  const state = {} as SuiteContext;
  describe(`Seshn adapter conformance: ${target.name}`, () => {
    beforeAll(async () => {
      const adapter = await target.createAdapter();
      await adapter.migrate();
      // Migrating twice is a no-op: every process of a deployment calls it at start.
      await adapter.migrate();
      state.adapter = adapter;
      state.raw = rawReader(target.raw(), target.decodeInstant);
      state.target = target;
    });
    afterAll(async () => {
      await state.adapter?.close();
      await target.teardown?.();
    });
    const get = () => state;
    lifecycleTests(get);
    holdTests(get);
    operationTests(get);
    catalogTests(get);
    recordStoreTests(get);
    isolationTests(get);
    badInputTests(get);
    raceTests(get);
    lockOrderTests(get);
    modelTests(get);
    seriesTests(get);
    outboxTests(get);
    inputContractTests(get);
    availabilityRulesTests(get);
    tenancyTests(get);
    creditTests(get);
    ledgerTests(get);
    waitlistTests(get);
    workTests(get);
  });
}
