/**
 * Released migrations are frozen: their statements, per target, hash to what they hashed when
 * they were released. A failure here means a released migration changed — revert it and add a
 * new dated migration instead (then append its hash below).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FROZEN_MIGRATIONS } from './index.js';

const RELEASED: Record<string, string> = {
  '2026-11-21T00:00_initial': 'bd4eff15d918eee51163405459595c4bbfd2ca15dd8729b7fcb301aa4bfa8e6e',
  '2026-11-21T12:00_slot_seats': 'c6619ce3320782fddfc7e05b2d73e036412b56eb6a09a3dde2762aadd6bcefe9',
  '2026-11-21T18:00_outbox_leases': '7af6aac8f2017f19aa465502b3eac014f371c6c3db2c397f9ba9456a93acb52f',
  '2026-11-21T20:00_occupancy_by_end': 'cb6f59003baae369f2847d9ec6bb022c5982c35e83993f0dfba9edf44e107b62',
  '2026-12-01T00:00_slot_seats_in_store': 'fd330229c7d512bd19b8763e78814c6767f0118cb77f535cc1ccf92a4b9be552',
  '2026-12-01T01:00_idempotency_keys_exact':
    '2d9d5d9a664d87567c1c83743016080178d622272aa7150216024b29f21d661a',
  '2026-12-01T02:00_event_deliveries': '3e59a5e9a58bed6c04abe33d25d7e046ae75e22065a94462e2b70aad5e73aef1',
  '2026-12-01T03:00_tenancy': 'f717af55cc87518f09df3bae94f45eb7a2d25543eb4d609b2f8e793861f7fead',
  '2026-12-01T04:00_ledger': '11e99917ba93edf5ccf06980bc3bfe99bfc6e9ada34487bac2baa2bfb33c34bd',
  '2026-12-02T00:00_waitlist': '8894ca304742219f8409c65d92280600016821253cbbbc81ba94cf18330ffc62',
};

const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

describe('frozen migrations', () => {
  it('every released migration still runs exactly the statements it was released with', () => {
    const now = Object.fromEntries(Object.entries(FROZEN_MIGRATIONS).map(([name, m]) => [name, hash(m)]));
    expect(now).toEqual(RELEASED);
  });

  it('names sort in the order they apply, and every statement is plain text', () => {
    const names = Object.keys(FROZEN_MIGRATIONS);
    expect([...names].sort()).toEqual(names);
    for (const m of Object.values(FROZEN_MIGRATIONS)) {
      for (const statements of Object.values(m)) {
        for (const s of statements ?? []) expect(typeof s === 'string' && s.trim().length > 0).toBe(true);
      }
    }
  });

  it('a changed statement changes the hash (the check can fail)', () => {
    const initial = FROZEN_MIGRATIONS['2026-11-21T00:00_initial']!;
    const edited = {
      ...initial,
      mysql: initial.mysql!.map((s) => s.replace('utf8mb4_bin', 'utf8mb4_general_ci')),
    };
    expect(hash(edited)).not.toBe(RELEASED['2026-11-21T00:00_initial']);
  });
});
