import { ERROR_CODES } from '@seshn/core';
import { describe, expect, it } from 'vitest';
import { HTTP_STATUS, httpStatusOf } from './status.js';

describe('HTTP status of each error code', () => {
  it('gives every code of core a status, and nothing else', () => {
    expect(Object.keys(HTTP_STATUS).sort()).toEqual([...ERROR_CODES].sort());
    expect(httpStatusOf('slot_unavailable')).toBe(409);
    expect(httpStatusOf('validation_failed')).toBe(400);
    expect(httpStatusOf('storage_error')).toBe(503);
    expect(httpStatusOf('no_such_code')).toBe(500);
  });
});
