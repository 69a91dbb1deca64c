/**
 * Migration `2026-12-01T03:00_tenancy`, frozen (see frozen.ts). Tenancy for the HTTP API:
 * organizations; API keys (only the SHA-256 hash of a secret, unique, so authentication is one
 * indexed read; every key in its organization's `live` scope, `key_mode` the mode it opens); the
 * audit log (one entry per audited write transaction, listed newest first, filtered by target);
 * the per-organization test clock (one row per test scope); and the HTTP idempotency responses
 * (one row per key and scope; the key compares byte for byte, a `varbinary` on MariaDB/MySQL).
 * Never edit a released migration (a test checks its hash); add a new one instead.
 * @module
 */
import type { FrozenMigration } from './frozen.js';

const statements = (t: { instant: string; text: string; key: string; options: string }) => [
  `CREATE TABLE seshn_organizations (
     id varchar(64) PRIMARY KEY, organization_id varchar(64) NOT NULL, mode varchar(8) NOT NULL,
     name varchar(200) NOT NULL, metadata ${t.text} NOT NULL, created_at ${t.instant} NOT NULL)${t.options}`,
  `CREATE TABLE seshn_api_keys (
     id varchar(64) PRIMARY KEY, organization_id varchar(64) NOT NULL, mode varchar(8) NOT NULL,
     name varchar(200) NOT NULL, key_type varchar(16) NOT NULL, role varchar(16),
     key_mode varchar(8) NOT NULL, scopes ${t.text}, hash varchar(64) NOT NULL,
     redacted varchar(64) NOT NULL, created_at ${t.instant} NOT NULL, revoked_at ${t.instant})${t.options}`,
  'CREATE UNIQUE INDEX seshn_api_keys_hash ON seshn_api_keys (hash)',
  'CREATE INDEX seshn_api_keys_scope ON seshn_api_keys (organization_id, mode, id)',
  `CREATE TABLE seshn_audit_log (
     id varchar(64) PRIMARY KEY, organization_id varchar(64) NOT NULL, mode varchar(8) NOT NULL,
     actor_type varchar(16) NOT NULL, actor_id varchar(200) NOT NULL, action varchar(64) NOT NULL,
     target_id varchar(100), request_id varchar(200), changes_before ${t.text},
     changes_after ${t.text}, created_at ${t.instant} NOT NULL)${t.options}`,
  'CREATE INDEX seshn_audit_log_scope ON seshn_audit_log (organization_id, mode, id)',
  'CREATE INDEX seshn_audit_log_target ON seshn_audit_log (organization_id, mode, target_id)',
  `CREATE TABLE seshn_test_clocks (
     organization_id varchar(64) NOT NULL, mode varchar(8) NOT NULL, id varchar(64) NOT NULL,
     offset_ms bigint NOT NULL, updated_at ${t.instant} NOT NULL,
     PRIMARY KEY (organization_id, mode, id))${t.options}`,
  `CREATE TABLE seshn_http_requests (
     organization_id varchar(64) NOT NULL, mode varchar(8) NOT NULL, idem_key ${t.key} NOT NULL,
     fingerprint varchar(128) NOT NULL, operation varchar(64) NOT NULL, status integer,
     body ${t.text}, attempt integer NOT NULL, lease_until ${t.instant} NOT NULL,
     created_at ${t.instant} NOT NULL,
     PRIMARY KEY (organization_id, mode, idem_key))${t.options}`,
];

export default {
  sqlite: statements({ instant: 'bigint', text: 'text', key: 'varchar(255)', options: '' }),
  postgres: statements({ instant: 'timestamptz(3)', text: 'text', key: 'varchar(255)', options: '' }),
  mysql: statements({
    instant: 'datetime(3)',
    text: 'longtext',
    key: 'varbinary(1020)',
    options: ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
  }),
} satisfies FrozenMigration;
