/**
 * Migration `2026-11-21T00:00_initial`, frozen: the DDL it ran when it was released, per dialect, to the letter.
 * The tables of the first release: every entity table starts with `id` and the tenant scope (organization, mode); Postgres adds the `btree_gist` exclusion constraint when the adapter asks for it (`postgres:exclusion`).
 * Never edit a released migration (a test checks its hash); add a new one instead.
 * @module
 */
import type { FrozenMigration } from './frozen.js';

/**
 * `postgres:exclusion` — the overlap constraint. A booking occupies its buffered slot interval on its resource, and it
 * is live from its last write (`updated_at`: creation, reschedule, confirmation) until its hold
 * expires (`expires_at`; never for confirmed). Two live bookings of different slots conflict when
 * both intervals overlap. The liveness interval is what lets a lapsed hold — still `held` until a
 * sweeper marks it — stop counting without any write: its interval ended before the new booking's
 * began, exactly when invariant 2 says its seat became free. `greatest` turns a lapsed hold that
 * is written again (e.g. metadata) into an empty range rather than an invalid one.
 */

export default {
  sqlite: [
    'create table "seshn_resources" ("id" varchar(64) primary key, "organization_id" varchar(64) not null, "mode" varchar(8) not null, "name" varchar(200) not null, "timezone" varchar(64) not null, "capacity" integer, "metadata" text not null, "availability" text not null, "archived_at" bigint, "created_at" bigint not null, "updated_at" bigint not null)',
    'create index "seshn_resources_scope" on "seshn_resources" ("organization_id", "mode", "id")',
    'create table "seshn_services" ("id" varchar(64) primary key, "organization_id" varchar(64) not null, "mode" varchar(8) not null, "name" varchar(200) not null, "kind" varchar(16) not null, "config" text not null, "archived_at" bigint, "created_at" bigint not null, "updated_at" bigint not null)',
    'create index "seshn_services_scope" on "seshn_services" ("organization_id", "mode", "id")',
    'create table "seshn_allocations" ("id" varchar(64) primary key, "organization_id" varchar(64) not null, "mode" varchar(8) not null, "resource_id" varchar(64) not null, "start_time" bigint not null, "end_time" bigint not null, "reason" varchar(500), "metadata" text not null, "created_at" bigint not null)',
    'create index "seshn_allocations_resource" on "seshn_allocations" ("organization_id", "mode", "resource_id", "start_time")',
    'create table "seshn_contacts" ("id" varchar(64) primary key, "organization_id" varchar(64) not null, "mode" varchar(8) not null, "name" varchar(200) not null, "email" varchar(320), "email_lower" varchar(320), "phone" varchar(40), "metadata" text not null, "created_at" bigint not null, "updated_at" bigint not null)',
    'create index "seshn_contacts_email" on "seshn_contacts" ("organization_id", "mode", "email_lower")',
    'create table "seshn_bookings" ("id" varchar(64) primary key, "organization_id" varchar(64) not null, "mode" varchar(8) not null, "service_id" varchar(64) not null, "resource_id" varchar(64) not null, "contact_id" varchar(64) not null, "slot_key" varchar(255) not null, "start_time" bigint not null, "end_time" bigint not null, "occupied_start" bigint not null, "occupied_end" bigint not null, "seats" integer not null check (seats > 0), "status" varchar(16) not null, "attendance" varchar(16) not null, "expires_at" bigint, "price_amount" bigint, "price_currency" varchar(3), "series_id" varchar(64), "occurrence_index" integer, "entitlement_id" varchar(64), "notes" text, "metadata" text not null, "cancellation_reason" varchar(1000), "cancelled_at" bigint, "created_at" bigint not null, "updated_at" bigint not null, constraint "seshn_bookings_order" check (end_time > start_time))',
    'create index "seshn_bookings_occupancy" on "seshn_bookings" ("organization_id", "mode", "resource_id", "occupied_start")',
    'create index "seshn_bookings_contact" on "seshn_bookings" ("organization_id", "mode", "contact_id")',
    'create index "seshn_bookings_series" on "seshn_bookings" ("organization_id", "mode", "series_id")',
    'create table "seshn_booking_series" ("id" varchar(64) primary key, "organization_id" varchar(64) not null, "mode" varchar(8) not null, "service_id" varchar(64) not null, "resource_id" varchar(64) not null, "contact_id" varchar(64) not null, "seats" integer not null, "recurrence" text not null, "status" varchar(16) not null, "metadata" text not null, "created_at" bigint not null, "updated_at" bigint not null)',
    'create index "seshn_booking_series_contact" on "seshn_booking_series" ("organization_id", "mode", "contact_id")',
    'create table "seshn_events" ("id" varchar(64) primary key, "organization_id" varchar(64) not null, "mode" varchar(8) not null, "type" varchar(64) not null, "data" text not null, "created_at" bigint not null)',
    'create index "seshn_events_scope" on "seshn_events" ("organization_id", "mode", "id")',
    'create table "seshn_idempotency_keys" ("organization_id" varchar(64) not null, "mode" varchar(8) not null, "idem_key" varchar(255) not null, "operation" varchar(64) not null, "fingerprint" varchar(64) not null, "result_id" varchar(64) not null, "created_at" bigint not null, constraint "seshn_idempotency_keys_pk" primary key ("organization_id", "mode", "idem_key"))',
  ],
  postgres: [
    'create table "seshn_resources" ("id" varchar(64) primary key, "organization_id" varchar(64) not null, "mode" varchar(8) not null, "name" varchar(200) not null, "timezone" varchar(64) not null, "capacity" integer, "metadata" text not null, "availability" text not null, "archived_at" timestamptz(3), "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null)',
    'create index "seshn_resources_scope" on "seshn_resources" ("organization_id", "mode", "id")',
    'create table "seshn_services" ("id" varchar(64) primary key, "organization_id" varchar(64) not null, "mode" varchar(8) not null, "name" varchar(200) not null, "kind" varchar(16) not null, "config" text not null, "archived_at" timestamptz(3), "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null)',
    'create index "seshn_services_scope" on "seshn_services" ("organization_id", "mode", "id")',
    'create table "seshn_allocations" ("id" varchar(64) primary key, "organization_id" varchar(64) not null, "mode" varchar(8) not null, "resource_id" varchar(64) not null, "start_time" timestamptz(3) not null, "end_time" timestamptz(3) not null, "reason" varchar(500), "metadata" text not null, "created_at" timestamptz(3) not null)',
    'create index "seshn_allocations_resource" on "seshn_allocations" ("organization_id", "mode", "resource_id", "start_time")',
    'create table "seshn_contacts" ("id" varchar(64) primary key, "organization_id" varchar(64) not null, "mode" varchar(8) not null, "name" varchar(200) not null, "email" varchar(320), "email_lower" varchar(320), "phone" varchar(40), "metadata" text not null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null)',
    'create index "seshn_contacts_email" on "seshn_contacts" ("organization_id", "mode", "email_lower")',
    'create table "seshn_bookings" ("id" varchar(64) primary key, "organization_id" varchar(64) not null, "mode" varchar(8) not null, "service_id" varchar(64) not null, "resource_id" varchar(64) not null, "contact_id" varchar(64) not null, "slot_key" varchar(255) not null, "start_time" timestamptz(3) not null, "end_time" timestamptz(3) not null, "occupied_start" timestamptz(3) not null, "occupied_end" timestamptz(3) not null, "seats" integer not null check (seats > 0), "status" varchar(16) not null, "attendance" varchar(16) not null, "expires_at" timestamptz(3), "price_amount" bigint, "price_currency" varchar(3), "series_id" varchar(64), "occurrence_index" integer, "entitlement_id" varchar(64), "notes" text, "metadata" text not null, "cancellation_reason" varchar(1000), "cancelled_at" timestamptz(3), "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, constraint "seshn_bookings_order" check (end_time > start_time))',
    'create index "seshn_bookings_occupancy" on "seshn_bookings" ("organization_id", "mode", "resource_id", "occupied_start")',
    'create index "seshn_bookings_contact" on "seshn_bookings" ("organization_id", "mode", "contact_id")',
    'create index "seshn_bookings_series" on "seshn_bookings" ("organization_id", "mode", "series_id")',
    'create table "seshn_booking_series" ("id" varchar(64) primary key, "organization_id" varchar(64) not null, "mode" varchar(8) not null, "service_id" varchar(64) not null, "resource_id" varchar(64) not null, "contact_id" varchar(64) not null, "seats" integer not null, "recurrence" text not null, "status" varchar(16) not null, "metadata" text not null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null)',
    'create index "seshn_booking_series_contact" on "seshn_booking_series" ("organization_id", "mode", "contact_id")',
    'create table "seshn_events" ("id" varchar(64) primary key, "organization_id" varchar(64) not null, "mode" varchar(8) not null, "type" varchar(64) not null, "data" text not null, "created_at" timestamptz(3) not null)',
    'create index "seshn_events_scope" on "seshn_events" ("organization_id", "mode", "id")',
    'create table "seshn_idempotency_keys" ("organization_id" varchar(64) not null, "mode" varchar(8) not null, "idem_key" varchar(255) not null, "operation" varchar(64) not null, "fingerprint" varchar(64) not null, "result_id" varchar(64) not null, "created_at" timestamptz(3) not null, constraint "seshn_idempotency_keys_pk" primary key ("organization_id", "mode", "idem_key"))',
  ],
  'postgres:exclusion': [
    'CREATE EXTENSION IF NOT EXISTS btree_gist',
    `ALTER TABLE seshn_bookings ADD CONSTRAINT seshn_bookings_no_overlap EXCLUDE USING gist (
    organization_id WITH =,
    mode WITH =,
    resource_id WITH =,
    slot_key WITH <>,
    tstzrange(occupied_start, occupied_end, '[)') WITH &&,
    tstzrange(updated_at, greatest(updated_at, coalesce(expires_at, 'infinity'::timestamptz)), '[)') WITH &&
  ) WHERE (status IN ('held', 'confirmed'))`,
  ],
  mysql: [
    'create table `seshn_resources` (`id` varchar(64) primary key, `organization_id` varchar(64) not null, `mode` varchar(8) not null, `name` varchar(200) not null, `timezone` varchar(64) not null, `capacity` integer, `metadata` longtext not null, `availability` longtext not null, `archived_at` datetime(3), `created_at` datetime(3) not null, `updated_at` datetime(3) not null) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
    'create index `seshn_resources_scope` on `seshn_resources` (`organization_id`, `mode`, `id`)',
    'create table `seshn_services` (`id` varchar(64) primary key, `organization_id` varchar(64) not null, `mode` varchar(8) not null, `name` varchar(200) not null, `kind` varchar(16) not null, `config` longtext not null, `archived_at` datetime(3), `created_at` datetime(3) not null, `updated_at` datetime(3) not null) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
    'create index `seshn_services_scope` on `seshn_services` (`organization_id`, `mode`, `id`)',
    'create table `seshn_allocations` (`id` varchar(64) primary key, `organization_id` varchar(64) not null, `mode` varchar(8) not null, `resource_id` varchar(64) not null, `start_time` datetime(3) not null, `end_time` datetime(3) not null, `reason` varchar(500), `metadata` longtext not null, `created_at` datetime(3) not null) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
    'create index `seshn_allocations_resource` on `seshn_allocations` (`organization_id`, `mode`, `resource_id`, `start_time`)',
    'create table `seshn_contacts` (`id` varchar(64) primary key, `organization_id` varchar(64) not null, `mode` varchar(8) not null, `name` varchar(200) not null, `email` varchar(320), `email_lower` varchar(320), `phone` varchar(40), `metadata` longtext not null, `created_at` datetime(3) not null, `updated_at` datetime(3) not null) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
    'create index `seshn_contacts_email` on `seshn_contacts` (`organization_id`, `mode`, `email_lower`)',
    'create table `seshn_bookings` (`id` varchar(64) primary key, `organization_id` varchar(64) not null, `mode` varchar(8) not null, `service_id` varchar(64) not null, `resource_id` varchar(64) not null, `contact_id` varchar(64) not null, `slot_key` varchar(255) not null, `start_time` datetime(3) not null, `end_time` datetime(3) not null, `occupied_start` datetime(3) not null, `occupied_end` datetime(3) not null, `seats` integer not null check (seats > 0), `status` varchar(16) not null, `attendance` varchar(16) not null, `expires_at` datetime(3), `price_amount` bigint, `price_currency` varchar(3), `series_id` varchar(64), `occurrence_index` integer, `entitlement_id` varchar(64), `notes` longtext, `metadata` longtext not null, `cancellation_reason` varchar(1000), `cancelled_at` datetime(3), `created_at` datetime(3) not null, `updated_at` datetime(3) not null, constraint `seshn_bookings_order` check (end_time > start_time)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
    'create index `seshn_bookings_occupancy` on `seshn_bookings` (`organization_id`, `mode`, `resource_id`, `occupied_start`)',
    'create index `seshn_bookings_contact` on `seshn_bookings` (`organization_id`, `mode`, `contact_id`)',
    'create index `seshn_bookings_series` on `seshn_bookings` (`organization_id`, `mode`, `series_id`)',
    'create table `seshn_booking_series` (`id` varchar(64) primary key, `organization_id` varchar(64) not null, `mode` varchar(8) not null, `service_id` varchar(64) not null, `resource_id` varchar(64) not null, `contact_id` varchar(64) not null, `seats` integer not null, `recurrence` longtext not null, `status` varchar(16) not null, `metadata` longtext not null, `created_at` datetime(3) not null, `updated_at` datetime(3) not null) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
    'create index `seshn_booking_series_contact` on `seshn_booking_series` (`organization_id`, `mode`, `contact_id`)',
    'create table `seshn_events` (`id` varchar(64) primary key, `organization_id` varchar(64) not null, `mode` varchar(8) not null, `type` varchar(64) not null, `data` longtext not null, `created_at` datetime(3) not null) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
    'create index `seshn_events_scope` on `seshn_events` (`organization_id`, `mode`, `id`)',
    'create table `seshn_idempotency_keys` (`organization_id` varchar(64) not null, `mode` varchar(8) not null, `idem_key` varchar(255) not null, `operation` varchar(64) not null, `fingerprint` varchar(64) not null, `result_id` varchar(64) not null, `created_at` datetime(3) not null, constraint `seshn_idempotency_keys_pk` primary key (`organization_id`, `mode`, `idem_key`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
  ],
} satisfies FrozenMigration;
