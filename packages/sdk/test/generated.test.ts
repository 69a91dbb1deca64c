/**
 * The SDK's routes are the operation table's: `src/operations.generated.ts` must be what
 * `scripts/generate.ts` derives from core's `operationList` (re-run the script when this fails),
 * and the client has exactly one method per routed operation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { operationList, type SeshnApi } from '@seshn/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { generate, routesOf } from '../scripts/generate.js';
import { ROUTES, Seshn, type SeshnClientApi, type SeshnPublicApi } from '../src/index.js';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

describe('generated routes', () => {
  it('equal the operation table (re-run packages/sdk/scripts/generate.ts when not)', () => {
    expect(JSON.parse(JSON.stringify(ROUTES))).toEqual(routesOf(operationList));
    expect(Object.keys(ROUTES)).toEqual(Object.keys(routesOf(operationList)));
  });

  it('an operation added to the table reaches the routes by re-running the generator', () => {
    const added = {
      ...operationList.find((op) => op.name === 'bookings.list')!,
      name: 'waitlist.list' as const,
      http: { method: 'GET' as const, path: '/waitlist' as const },
    };
    const embeddedOnly = { ...added, name: 'waitlist.purge' as const, http: null };
    const routes = routesOf([...operationList, added, embeddedOnly]);
    expect(routes['waitlist.list']).toEqual({
      method: 'GET',
      path: '/waitlist',
      positional: [],
      mutates: false,
      public: false,
      paginated: true,
    });
    expect(routes['waitlist.purge']).toBeUndefined();
    expect(generate([added])).toContain("'waitlist.list'".replaceAll("'", '"'));
  });

  it('cover every operation that has an HTTP route, and none that has not', () => {
    const routed = operationList.filter((op) => op.http !== null).map((op) => op.name);
    expect(Object.keys(ROUTES).sort()).toEqual(routed.sort());
    expect(Object.keys(ROUTES)).not.toContain('organizations.create');
  });

  it('give the client one method per routed operation', () => {
    const seshn = new Seshn('sk_test_x', { baseUrl: 'http://127.0.0.1:1' });
    for (const name of Object.keys(ROUTES)) {
      const [group, method] = name.split('.') as [string, string];
      const g = (seshn as unknown as Record<string, Record<string, unknown>>)[group];
      expect(typeof g?.[method], name).toBe('function');
    }
    expect((seshn as unknown as Record<string, unknown>).organizations).toBeUndefined();
  });

  it('type the client as the handle, for routed operations', () => {
    expectTypeOf<SeshnClientApi['bookings']['create']>().toEqualTypeOf<SeshnApi['bookings']['create']>();
    expectTypeOf<SeshnClientApi['bookings']['cancel']>().toEqualTypeOf<SeshnApi['bookings']['cancel']>();
    expectTypeOf<SeshnClientApi['bookingSeries']['cancelOccurrence']>().toEqualTypeOf<
      SeshnApi['bookingSeries']['cancelOccurrence']
    >();
    expectTypeOf<SeshnClientApi['availability']['query']>().toEqualTypeOf<
      SeshnApi['availability']['query']
    >();
    // Lists: the handle's arguments; the handle's page, also iterable over its items.
    type List = SeshnClientApi['bookings']['list'];
    expectTypeOf<Parameters<List>>().toEqualTypeOf<Parameters<SeshnApi['bookings']['list']>>();
    expectTypeOf<Awaited<ReturnType<List>>>().toEqualTypeOf<
      Awaited<ReturnType<SeshnApi['bookings']['list']>>
    >();
    expectTypeOf<ReturnType<List>>().toExtend<
      AsyncIterable<Awaited<ReturnType<SeshnApi['bookings']['list']>>['data'][number]>
    >();
    expectTypeOf<keyof SeshnClientApi>().toEqualTypeOf<Exclude<keyof SeshnApi, 'organizations'>>();
    // The public part: what a publishable key may call.
    expectTypeOf<keyof SeshnPublicApi>().toEqualTypeOf<'availability' | 'pricing' | 'services'>();
    expectTypeOf<keyof SeshnPublicApi['services']>().toEqualTypeOf<'get' | 'list'>();
    expectTypeOf<keyof SeshnPublicApi['availability']>().toEqualTypeOf<
      'query' | 'slots' | 'windows' | 'explain'
    >();
    const widget: SeshnPublicApi = new Seshn('pk_test_x', { baseUrl: 'http://127.0.0.1:1' });
    expect(typeof widget.availability.query).toBe('function');
  });
});

describe('zero runtime dependencies', () => {
  it('the sources import other packages only with `import type`', () => {
    const files = readdirSync(SRC).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const text = readFileSync(join(SRC, file), 'utf8');
      const imports = [...text.matchAll(/^\s*(import|export)\s+([^'";]*?)\s+from\s+['"]([^'"]+)['"]/gms)];
      for (const [statement, , clause, specifier] of imports) {
        if (specifier!.startsWith('./')) continue;
        expect(clause!.trim().startsWith('type '), `${file}: ${statement}`).toBe(true);
      }
      expect(text, file).not.toMatch(/\bimport\s*\(|\brequire\s*\(|^\s*import\s+['"]/m);
      // Platform APIs only (fetch, URL, AbortController, crypto): nothing of Node's.
      expect(text, file).not.toMatch(/\bprocess\.|\bBuffer\b|['"]node:/);
    }
  });
});
