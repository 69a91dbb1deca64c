import { describe, expect, it } from 'vitest';
import { SeshnError } from '../errors/seshn-error.js';
import { AvailabilitySlotsSchema, slotsQueryOf } from './availability.js';
import { parseInput } from './parse.js';

const serviceId = 'svc_01h2xcejqtf2nbrexx3vqjhp41';
const read = (input: unknown) => slotsQueryOf(parseInput(AvailabilitySlotsSchema, input));
const fieldsOf = (input: unknown) => {
  try {
    read(input);
  } catch (error) {
    expect(error).toBeInstanceOf(SeshnError);
    return ((error as SeshnError).details.fields as { path: string }[]).map((f) => f.path);
  }
  throw new Error('expected a validation error');
};

describe('availability.slots input', () => {
  it('reads the Floyd form as the query form', () => {
    expect(
      read({
        serviceId,
        startTime: '2030-01-07T00:00:00.000Z',
        endTime: '2030-01-08T00:00:00.000Z',
        durationMs: 5_400_000,
      }),
    ).toEqual({
      serviceId,
      from: new Date('2030-01-07T00:00:00.000Z'),
      to: new Date('2030-01-08T00:00:00.000Z'),
      durationMinutes: 90,
      seats: 1,
      includeUnavailable: false,
    });
  });

  it('keeps the query form as it is', () => {
    expect(read({ serviceId, from: '2030-01-07', to: '2030-01-08', seats: 2 })).toEqual({
      serviceId,
      from: '2030-01-07',
      to: '2030-01-08',
      seats: 2,
      includeUnavailable: false,
    });
  });

  it('refuses a mix of the two forms, a missing bound and a length that is not whole minutes', () => {
    expect(fieldsOf({ serviceId, from: '2030-01-07', endTime: '2030-01-08T00:00:00Z' })).toEqual(['from']);
    expect(fieldsOf({ serviceId, startTime: '2030-01-07T00:00:00Z' })).toEqual(['endTime']);
    expect(fieldsOf({ serviceId })).toEqual(['from', 'to']);
    expect(
      fieldsOf({
        serviceId,
        startTime: '2030-01-07T00:00:00Z',
        endTime: '2030-01-08T00:00:00Z',
        durationMs: 90_001,
      }),
    ).toEqual(['durationMs']);
  });
});
