/**
 * Migration `2026-12-01T01:00_idempotency_keys_exact`, frozen (see frozen.ts). Idempotency keys
 * compare byte for byte on every database: MariaDB's `utf8mb4_bin` is a `PAD SPACE` collation, so
 * `'k-1'` and `'k-1 '` were one key there; a `varbinary` column has no padding (and holds the 255
 * characters the schema allows in up to 1020 bytes). SQLite and Postgres already compare exactly.
 * Never edit a released migration (a test checks its hash); add a new one instead.
 * @module
 */
import type { FrozenMigration } from './frozen.js';

export default {
  mysql: ['ALTER TABLE seshn_idempotency_keys MODIFY idem_key varbinary(1020) NOT NULL'],
} satisfies FrozenMigration;
