/**
 * The assertions the HTTP suites share: the documented error shape with its Request-Id, a 2xx
 * answer, and the JSON the embedded handle answers as it goes over the wire.
 * @module
 */
import { expect } from 'vitest';
import type { Reply } from './harness.js';

export const REQUEST_ID = /^req_[A-Za-z0-9]+$/;

/** The documented error shape, with the Request-Id header equal to the body's requestId. */
export function expectError(r: Reply, status: number, code: string) {
  expect({ status: r.status, body: r.body }).toMatchObject({ status, body: { error: { code } } });
  const error = r.body.error;
  expect(Object.keys(error).sort()).toEqual(['code', 'details', 'message', 'requestId']);
  expect(typeof error.message).toBe('string');
  expect(error.message.length).toBeGreaterThan(0);
  expect(typeof error.details === 'object').toBe(true);
  expect(error.requestId).toMatch(REQUEST_ID);
  expect(r.headers.get('request-id')).toBe(error.requestId);
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  return error as { code: string; message: string; details: Record<string, unknown>; requestId: string };
}

export function expectOk(r: Reply, status = 200) {
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text.slice(0, 800)}`);
  expect(r.headers.get('request-id')).toMatch(REQUEST_ID);
  return r.body;
}

/** The JSON the embedded handle answers, as it goes over the wire. */
export const wire = (value: unknown) => JSON.parse(JSON.stringify(value));

export const unique = (label: string) => `${label}-${Math.random().toString(36).slice(2, 10)}`;
