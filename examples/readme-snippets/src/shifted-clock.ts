/**
 * Preload for snippet tests: `node --import tsx --import <this file> snippet.ts` moves the process's
 * wall clock by `SESHN_TEST_CLOCK_SHIFT_MS` milliseconds (`Date.now()` and `new Date()`), so a test
 * can prove a snippet does not depend on today's date. Only the tests set the variable; nothing in
 * the snippets or the library reads it.
 */
const shiftMs = Number(process.env.SESHN_TEST_CLOCK_SHIFT_MS ?? '0');
if (!Number.isFinite(shiftMs)) throw new Error('SESHN_TEST_CLOCK_SHIFT_MS must be a number of milliseconds');

if (shiftMs !== 0) {
  const RealDate = Date;
  class ShiftedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + shiftMs);
      else super(...(args as [number, number, number, number, number, number, number]));
    }
    static override now(): number {
      return RealDate.now() + shiftMs;
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
}
