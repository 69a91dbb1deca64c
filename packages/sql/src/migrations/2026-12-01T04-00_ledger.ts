/**
 * Migration `2026-12-01T04:00_ledger`, frozen (see frozen.ts). Products, entitlements and the
 * credit ledger:
 * - products and entitlements are plain records (their terms as a JSON document; the columns are
 *   what lists filter by: an entitlement's contact, status and expiry, the expiry's due-work scan);
 * - ledger accounts, keyed by scope and id (the system accounts have the same id in every
 *   scope), with posted counters kept on customer accounts so a balance is one row read;
 * - ledger transfers, one row per transfer (a pending one settles in place), keyed by scope and
 *   id (the id is the idempotency key), indexed by each side's account and status so a balance's
 *   live pending sum and an account's history are index reads, and by entitlement and booking.
 * Never edit a released migration (a test checks its hash); add a new one instead.
 * @module
 */
import type { FrozenMigration } from './frozen.js';

const statements = (t: { instant: string; text: string; options: string }) => [
  `CREATE TABLE seshn_products (
     id varchar(64) PRIMARY KEY, organization_id varchar(64) NOT NULL, mode varchar(8) NOT NULL,
     name varchar(200) NOT NULL, product_type varchar(16) NOT NULL, config ${t.text} NOT NULL,
     metadata ${t.text} NOT NULL, archived_at ${t.instant}, created_at ${t.instant} NOT NULL,
     updated_at ${t.instant} NOT NULL)${t.options}`,
  'CREATE INDEX seshn_products_scope ON seshn_products (organization_id, mode, id)',
  `CREATE TABLE seshn_entitlements (
     id varchar(64) PRIMARY KEY, organization_id varchar(64) NOT NULL, mode varchar(8) NOT NULL,
     contact_id varchar(64) NOT NULL, product_id varchar(64) NOT NULL, account_id varchar(64) NOT NULL,
     status varchar(16) NOT NULL, expires_at ${t.instant}, terms ${t.text} NOT NULL,
     metadata ${t.text} NOT NULL, created_at ${t.instant} NOT NULL, updated_at ${t.instant} NOT NULL)${t.options}`,
  'CREATE INDEX seshn_entitlements_contact ON seshn_entitlements (organization_id, mode, contact_id)',
  'CREATE INDEX seshn_entitlements_due ON seshn_entitlements (organization_id, mode, status, expires_at)',
  `CREATE TABLE seshn_ledger_accounts (
     organization_id varchar(64) NOT NULL, mode varchar(8) NOT NULL, id varchar(64) NOT NULL,
     kind varchar(16) NOT NULL, code varchar(16) NOT NULL, contact_id varchar(64),
     entitlement_id varchar(64), limited integer NOT NULL, debits_posted bigint NOT NULL,
     credits_posted bigint NOT NULL, created_at ${t.instant} NOT NULL, updated_at ${t.instant} NOT NULL,
     PRIMARY KEY (organization_id, mode, id))${t.options}`,
  'CREATE INDEX seshn_ledger_accounts_contact ON seshn_ledger_accounts (organization_id, mode, contact_id)',
  'CREATE INDEX seshn_ledger_accounts_entitlement ON seshn_ledger_accounts (organization_id, mode, entitlement_id)',
  `CREATE TABLE seshn_ledger_transfers (
     organization_id varchar(64) NOT NULL, mode varchar(8) NOT NULL, id varchar(64) NOT NULL,
     debit_account_id varchar(64) NOT NULL, credit_account_id varchar(64) NOT NULL,
     amount bigint NOT NULL CHECK (amount > 0), status varchar(16) NOT NULL, expires_at ${t.instant},
     code varchar(16) NOT NULL, entitlement_id varchar(64) NOT NULL, booking_id varchar(64),
     metadata ${t.text} NOT NULL, created_at ${t.instant} NOT NULL, updated_at ${t.instant} NOT NULL,
     PRIMARY KEY (organization_id, mode, id))${t.options}`,
  'CREATE INDEX seshn_ledger_transfers_debit ON seshn_ledger_transfers (organization_id, mode, debit_account_id, status)',
  'CREATE INDEX seshn_ledger_transfers_credit ON seshn_ledger_transfers (organization_id, mode, credit_account_id, status)',
  'CREATE INDEX seshn_ledger_transfers_entitlement ON seshn_ledger_transfers (organization_id, mode, entitlement_id)',
  'CREATE INDEX seshn_ledger_transfers_booking ON seshn_ledger_transfers (organization_id, mode, booking_id)',
];

export default {
  sqlite: statements({ instant: 'bigint', text: 'text', options: '' }),
  postgres: statements({ instant: 'timestamptz(3)', text: 'text', options: '' }),
  mysql: statements({
    instant: 'datetime(3)',
    text: 'longtext',
    options: ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
  }),
} satisfies FrozenMigration;
