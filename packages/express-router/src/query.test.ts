import { findOperation } from '@seshn/core';
import { describe, expect, it } from 'vitest';
import { jsonSchemaOf } from './core.js';
import { pathInput, queryInput } from './query.js';
import { inputFieldsOf } from './schema.js';

const fieldsOf = (name: string) => inputFieldsOf(jsonSchemaOf(findOperation(name)!.input, 'input'));
const query = (name: string, text: string) => queryInput(new URLSearchParams(text), fieldsOf(name));

describe('query coercion by the input schema', () => {
  it('reads integers and booleans, and leaves text alone', () => {
    expect(
      query(
        'availability.query',
        'serviceId=svc_1&from=2026-03-15&to=2026-03-16&seats=2&includeUnavailable=true',
      ),
    ).toEqual({
      serviceId: 'svc_1',
      from: '2026-03-15',
      to: '2026-03-16',
      seats: 2,
      includeUnavailable: true,
    });
  });

  it('passes text that does not read as the type through, for validation to name the field', () => {
    expect(query('resources.list', 'limit=ten')).toEqual({ limit: 'ten' });
    expect(query('availability.query', 'includeUnavailable=yes')).toEqual({ includeUnavailable: 'yes' });
  });

  it('takes arrays repeated or comma-separated, and a scalar alone when the field has one', () => {
    expect(query('bookings.list', 'status=held&status=confirmed')).toEqual({ status: ['held', 'confirmed'] });
    expect(query('bookings.list', 'status=held,confirmed')).toEqual({ status: ['held', 'confirmed'] });
    expect(query('bookings.list', 'status=held')).toEqual({ status: 'held' });
  });

  it('keeps a repeated scalar as a list (refused by validation) and unknown names as given', () => {
    expect(query('resources.list', 'limit=1&limit=2')).toEqual({ limit: [1, 2] });
    expect(query('resources.list', 'color=red')).toEqual({ color: 'red' });
  });

  it('makes __proto__ an own field, never a prototype', () => {
    const input = query('resources.list', '__proto__=x&limit=3');
    expect(Object.getPrototypeOf(input)).toBe(Object.prototype);
    expect(Object.keys(input)).toEqual(['__proto__', 'limit']);
  });

  it('coerces path segments the same way', () => {
    expect(pathInput({ id: 'bsr_1', index: '3' }, fieldsOf('bookingSeries.cancelOccurrence'))).toEqual({
      id: 'bsr_1',
      index: 3,
    });
  });
});
