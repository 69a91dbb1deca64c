/**
 * Row ↔ record mapping: the one place that knows column names and value encodings.
 * @module
 */
import type {
  AccountRecord,
  AllocationRecord,
  ApiKeyRecord,
  AuditRecord,
  BookingRecord,
  BookingSeriesRecord,
  ContactRecord,
  EntitlementRecord,
  EventRecord,
  OrganizationRecord,
  ProductRecord,
  ResourceRecord,
  Scope,
  ServiceRecord,
  TestClockRecord,
  TransferRecord,
  WaitlistEntryRecord,
} from '@seshn/core';
import { type DialectProfile, num, numOrNull } from '../profile.js';

type Row = Record<string, unknown>;

const json = (value: unknown) => JSON.stringify(value ?? {});
const parse = <T>(value: unknown): T => JSON.parse(String(value)) as T;
const str = (value: unknown) => String(value);
const strOrNull = (value: unknown) => (value === null || value === undefined ? null : String(value));

const mappers = new WeakMap<DialectProfile, ReturnType<typeof buildRowMapper>>();

/**
 * The row mapper of a dialect profile, built once per profile: a store is created for every
 * transaction, and rebuilding these closures each time showed up in reservation profiles.
 */
export function rowMapper(p: DialectProfile) {
  let mapper = mappers.get(p);
  if (!mapper) {
    mapper = buildRowMapper(p);
    mappers.set(p, mapper);
  }
  return mapper;
}

function buildRowMapper(p: DialectProfile) {
  const inst = (ms: number) => p.encodeInstant(ms);
  const instOrNull = (ms: number | null) => (ms === null ? null : p.encodeInstant(ms));
  const readInst = (v: unknown) => p.decodeInstant(v);
  const readInstOrNull = (v: unknown) => (v === null || v === undefined ? null : p.decodeInstant(v));
  const scoped = (scope: Scope) => ({ organization_id: scope.organizationId, mode: scope.mode });

  return {
    inst,
    instOrNull,
    readInst,

    resource: {
      toRow: (scope: Scope, r: ResourceRecord) => ({
        ...scoped(scope),
        id: r.id,
        name: r.name,
        timezone: r.timezone,
        capacity: r.capacity,
        metadata: json(r.metadata),
        availability: json(r.availability),
        archived_at: instOrNull(r.archivedAt),
        created_at: inst(r.createdAt),
        updated_at: inst(r.updatedAt),
      }),
      fromRow: (row: Row): ResourceRecord => ({
        id: str(row.id),
        name: str(row.name),
        timezone: str(row.timezone),
        capacity: numOrNull(row.capacity),
        metadata: parse(row.metadata),
        availability: parse(row.availability),
        archivedAt: readInstOrNull(row.archived_at),
        createdAt: readInst(row.created_at),
        updatedAt: readInst(row.updated_at),
      }),
    },

    service: {
      toRow: (scope: Scope, s: ServiceRecord) => ({
        ...scoped(scope),
        id: s.id,
        name: s.name,
        kind: s.kind,
        config: json(s.config),
        archived_at: instOrNull(s.archivedAt),
        created_at: inst(s.createdAt),
        updated_at: inst(s.updatedAt),
      }),
      fromRow: (row: Row): ServiceRecord => ({
        id: str(row.id),
        name: str(row.name),
        kind: str(row.kind) as ServiceRecord['kind'],
        config: parse(row.config),
        archivedAt: readInstOrNull(row.archived_at),
        createdAt: readInst(row.created_at),
        updatedAt: readInst(row.updated_at),
      }),
    },

    allocation: {
      toRow: (scope: Scope, a: AllocationRecord) => ({
        ...scoped(scope),
        id: a.id,
        resource_id: a.resourceId,
        start_time: inst(a.startTime),
        end_time: inst(a.endTime),
        reason: a.reason,
        metadata: json(a.metadata),
        created_at: inst(a.createdAt),
      }),
      fromRow: (row: Row): AllocationRecord => ({
        id: str(row.id),
        resourceId: str(row.resource_id),
        startTime: readInst(row.start_time),
        endTime: readInst(row.end_time),
        reason: strOrNull(row.reason),
        metadata: parse(row.metadata),
        createdAt: readInst(row.created_at),
      }),
    },

    contact: {
      toRow: (scope: Scope, c: ContactRecord) => ({
        ...scoped(scope),
        id: c.id,
        name: c.name,
        email: c.email,
        email_lower: c.email === null ? null : c.email.toLowerCase(),
        phone: c.phone,
        metadata: json(c.metadata),
        created_at: inst(c.createdAt),
        updated_at: inst(c.updatedAt),
      }),
      fromRow: (row: Row): ContactRecord => ({
        id: str(row.id),
        name: str(row.name),
        email: strOrNull(row.email),
        phone: strOrNull(row.phone),
        metadata: parse(row.metadata),
        createdAt: readInst(row.created_at),
        updatedAt: readInst(row.updated_at),
      }),
    },

    booking: {
      toRow: (scope: Scope, b: BookingRecord) => ({
        ...scoped(scope),
        id: b.id,
        service_id: b.serviceId,
        resource_id: b.resourceId,
        contact_id: b.contactId,
        slot_key: b.slotKey,
        start_time: inst(b.startTime),
        end_time: inst(b.endTime),
        occupied_start: inst(b.occupiedStart),
        occupied_end: inst(b.occupiedEnd),
        seats: b.seats,
        status: b.status,
        attendance: b.attendance,
        expires_at: instOrNull(b.expiresAt),
        price_amount: b.priceAmount,
        price_currency: b.priceCurrency,
        series_id: b.seriesId,
        occurrence_index: b.occurrenceIndex,
        entitlement_id: b.entitlementId,
        notes: b.notes,
        metadata: json(b.metadata),
        cancellation_reason: b.cancellationReason,
        cancelled_at: instOrNull(b.cancelledAt),
        created_at: inst(b.createdAt),
        updated_at: inst(b.updatedAt),
      }),
      fromRow: (row: Row): BookingRecord => ({
        id: str(row.id),
        serviceId: str(row.service_id),
        resourceId: str(row.resource_id),
        contactId: str(row.contact_id),
        slotKey: str(row.slot_key),
        startTime: readInst(row.start_time),
        endTime: readInst(row.end_time),
        occupiedStart: readInst(row.occupied_start),
        occupiedEnd: readInst(row.occupied_end),
        seats: num(row.seats),
        status: str(row.status) as BookingRecord['status'],
        attendance: str(row.attendance) as BookingRecord['attendance'],
        expiresAt: readInstOrNull(row.expires_at),
        priceAmount: numOrNull(row.price_amount),
        priceCurrency: strOrNull(row.price_currency),
        seriesId: strOrNull(row.series_id),
        occurrenceIndex: numOrNull(row.occurrence_index),
        entitlementId: strOrNull(row.entitlement_id),
        notes: strOrNull(row.notes),
        metadata: parse(row.metadata),
        cancellationReason: strOrNull(row.cancellation_reason),
        cancelledAt: readInstOrNull(row.cancelled_at),
        createdAt: readInst(row.created_at),
        updatedAt: readInst(row.updated_at),
      }),
    },

    series: {
      toRow: (scope: Scope, s: BookingSeriesRecord) => ({
        ...scoped(scope),
        id: s.id,
        service_id: s.serviceId,
        resource_id: s.resourceId,
        contact_id: s.contactId,
        seats: s.seats,
        recurrence: json(s.recurrence),
        status: s.status,
        metadata: json(s.metadata),
        created_at: inst(s.createdAt),
        updated_at: inst(s.updatedAt),
      }),
      fromRow: (row: Row): BookingSeriesRecord => ({
        id: str(row.id),
        serviceId: str(row.service_id),
        resourceId: str(row.resource_id),
        contactId: str(row.contact_id),
        seats: num(row.seats),
        recurrence: parse(row.recurrence),
        status: str(row.status) as BookingSeriesRecord['status'],
        metadata: parse(row.metadata),
        createdAt: readInst(row.created_at),
        updatedAt: readInst(row.updated_at),
      }),
    },

    /** `dataJson`: the payload already serialized (events of one change often share it). */
    event: {
      toRow: (scope: Scope, e: EventRecord, dataJson?: string) => ({
        ...scoped(scope),
        id: e.id,
        type: e.type,
        data: dataJson ?? json(e.data),
        created_at: inst(e.createdAt),
      }),
      fromRow: (row: Row): EventRecord => ({
        id: str(row.id),
        type: str(row.type),
        data: parse(row.data),
        createdAt: readInst(row.created_at),
      }),
    },

    organization: {
      toRow: (scope: Scope, o: OrganizationRecord) => ({
        ...scoped(scope),
        id: o.id,
        name: o.name,
        metadata: json(o.metadata),
        created_at: inst(o.createdAt),
      }),
      fromRow: (row: Row): OrganizationRecord => ({
        id: str(row.id),
        name: str(row.name),
        metadata: parse(row.metadata),
        createdAt: readInst(row.created_at),
      }),
    },

    apiKey: {
      toRow: (scope: Scope, k: ApiKeyRecord) => ({
        ...scoped(scope),
        id: k.id,
        name: k.name,
        key_type: k.type,
        role: k.role,
        key_mode: k.mode,
        scopes: k.scopes === null ? null : JSON.stringify(k.scopes),
        hash: k.hash,
        redacted: k.redacted,
        created_at: inst(k.createdAt),
        revoked_at: instOrNull(k.revokedAt),
      }),
      fromRow: (row: Row): ApiKeyRecord => ({
        id: str(row.id),
        name: str(row.name),
        type: str(row.key_type) as ApiKeyRecord['type'],
        role: strOrNull(row.role) as ApiKeyRecord['role'],
        mode: str(row.key_mode) as ApiKeyRecord['mode'],
        scopes: row.scopes === null || row.scopes === undefined ? null : parse<string[]>(row.scopes),
        hash: str(row.hash),
        redacted: str(row.redacted),
        createdAt: readInst(row.created_at),
        revokedAt: readInstOrNull(row.revoked_at),
      }),
    },

    audit: {
      toRow: (scope: Scope, a: AuditRecord) => ({
        ...scoped(scope),
        id: a.id,
        actor_type: a.actorType,
        actor_id: a.actorId,
        action: a.action,
        target_id: a.targetId,
        request_id: a.requestId,
        changes_before: a.before === null ? null : JSON.stringify(a.before),
        changes_after: a.after === null ? null : JSON.stringify(a.after),
        created_at: inst(a.createdAt),
      }),
      fromRow: (row: Row): AuditRecord => ({
        id: str(row.id),
        actorType: str(row.actor_type) as AuditRecord['actorType'],
        actorId: str(row.actor_id),
        action: str(row.action),
        targetId: strOrNull(row.target_id),
        requestId: strOrNull(row.request_id),
        before:
          row.changes_before === null || row.changes_before === undefined ? null : parse(row.changes_before),
        after:
          row.changes_after === null || row.changes_after === undefined ? null : parse(row.changes_after),
        createdAt: readInst(row.created_at),
      }),
    },

    testClock: {
      toRow: (scope: Scope, c: TestClockRecord) => ({
        ...scoped(scope),
        id: c.id,
        offset_ms: c.offsetMs,
        updated_at: inst(c.updatedAt),
      }),
      fromRow: (row: Row): TestClockRecord => ({
        id: str(row.id),
        offsetMs: num(row.offset_ms),
        updatedAt: readInst(row.updated_at),
      }),
    },

    product: {
      toRow: (scope: Scope, r: ProductRecord) => ({
        ...scoped(scope),
        id: r.id,
        name: r.name,
        product_type: r.type,
        config: json({
          credits: r.credits,
          validDays: r.validDays,
          serviceIds: r.serviceIds,
          period: r.period,
          price: r.price,
          creditsPerSeat: r.creditsPerSeat,
        }),
        metadata: json(r.metadata),
        archived_at: instOrNull(r.archivedAt),
        created_at: inst(r.createdAt),
        updated_at: inst(r.updatedAt),
      }),
      fromRow: (row: Row): ProductRecord => {
        const c = parse<
          Pick<ProductRecord, 'credits' | 'validDays' | 'serviceIds' | 'period' | 'price' | 'creditsPerSeat'>
        >(row.config);
        return {
          id: str(row.id),
          name: str(row.name),
          type: str(row.product_type) as ProductRecord['type'],
          credits: c.credits,
          validDays: c.validDays,
          serviceIds: c.serviceIds,
          period: c.period,
          price: c.price,
          creditsPerSeat: c.creditsPerSeat,
          metadata: parse(row.metadata),
          archivedAt: readInstOrNull(row.archived_at),
          createdAt: readInst(row.created_at),
          updatedAt: readInst(row.updated_at),
        };
      },
    },

    entitlement: {
      toRow: (scope: Scope, e: EntitlementRecord) => ({
        ...scoped(scope),
        id: e.id,
        contact_id: e.contactId,
        product_id: e.productId,
        account_id: e.accountId,
        status: e.status,
        expires_at: instOrNull(e.expiresAt),
        terms: json({
          type: e.type,
          source: e.source,
          credits: e.credits,
          creditsPerSeat: e.creditsPerSeat,
          serviceIds: e.serviceIds,
          period: e.period,
          price: e.price,
          validFrom: e.validFrom,
          revokedAt: e.revokedAt,
        }),
        metadata: json(e.metadata),
        created_at: inst(e.createdAt),
        updated_at: inst(e.updatedAt),
      }),
      fromRow: (row: Row): EntitlementRecord => {
        const t = parse<
          Pick<
            EntitlementRecord,
            | 'type'
            | 'source'
            | 'credits'
            | 'creditsPerSeat'
            | 'serviceIds'
            | 'period'
            | 'price'
            | 'validFrom'
            | 'revokedAt'
          >
        >(row.terms);
        return {
          id: str(row.id),
          contactId: str(row.contact_id),
          productId: str(row.product_id),
          accountId: str(row.account_id),
          type: t.type,
          source: t.source,
          status: str(row.status) as EntitlementRecord['status'],
          credits: t.credits,
          creditsPerSeat: t.creditsPerSeat,
          serviceIds: t.serviceIds,
          period: t.period,
          price: t.price,
          validFrom: t.validFrom,
          expiresAt: readInstOrNull(row.expires_at),
          metadata: parse(row.metadata),
          revokedAt: t.revokedAt,
          createdAt: readInst(row.created_at),
          updatedAt: readInst(row.updated_at),
        };
      },
    },

    account: {
      toRow: (scope: Scope, a: AccountRecord) => ({
        ...scoped(scope),
        id: a.id,
        kind: a.kind,
        code: a.code,
        contact_id: a.contactId,
        entitlement_id: a.entitlementId,
        limited: a.limited ? 1 : 0,
        debits_posted: a.debitsPosted,
        credits_posted: a.creditsPosted,
        created_at: inst(a.createdAt),
        updated_at: inst(a.createdAt),
      }),
      fromRow: (row: Row): AccountRecord => ({
        id: str(row.id),
        kind: str(row.kind) as AccountRecord['kind'],
        code: str(row.code) as AccountRecord['code'],
        contactId: strOrNull(row.contact_id),
        entitlementId: strOrNull(row.entitlement_id),
        limited: num(row.limited) === 1,
        debitsPosted: num(row.debits_posted),
        creditsPosted: num(row.credits_posted),
        createdAt: readInst(row.created_at),
      }),
    },

    transfer: {
      toRow: (scope: Scope, t: TransferRecord) => ({
        ...scoped(scope),
        id: t.id,
        debit_account_id: t.debitAccountId,
        credit_account_id: t.creditAccountId,
        amount: t.amount,
        status: t.status,
        expires_at: instOrNull(t.expiresAt),
        code: t.code,
        entitlement_id: t.entitlementId,
        booking_id: t.bookingId,
        metadata: json(t.metadata),
        created_at: inst(t.createdAt),
        updated_at: inst(t.updatedAt),
      }),
      fromRow: (row: Row): TransferRecord => ({
        id: str(row.id),
        debitAccountId: str(row.debit_account_id),
        creditAccountId: str(row.credit_account_id),
        amount: num(row.amount),
        status: str(row.status) as TransferRecord['status'],
        expiresAt: readInstOrNull(row.expires_at),
        code: str(row.code) as TransferRecord['code'],
        entitlementId: str(row.entitlement_id),
        bookingId: strOrNull(row.booking_id),
        metadata: parse(row.metadata),
        createdAt: readInst(row.created_at),
        updatedAt: readInst(row.updated_at),
      }),
    },

    waitlistEntry: {
      toRow: (scope: Scope, e: WaitlistEntryRecord) => ({
        ...scoped(scope),
        id: e.id,
        service_id: e.serviceId,
        resource_id: e.resourceId,
        contact_id: e.contactId,
        slot_key: e.slotKey,
        start_time: inst(e.startTime),
        end_time: inst(e.endTime),
        occupied_start: inst(e.occupiedStart),
        occupied_end: inst(e.occupiedEnd),
        seats: e.seats,
        position: e.position,
        status: e.status,
        use_credits: e.useCredits,
        booking_id: e.bookingId,
        reason: e.reason,
        notes: e.notes,
        metadata: json(e.metadata),
        promoted_at: instOrNull(e.promotedAt),
        created_at: inst(e.createdAt),
        updated_at: inst(e.updatedAt),
      }),
      fromRow: (row: Row): WaitlistEntryRecord => ({
        id: str(row.id),
        serviceId: str(row.service_id),
        resourceId: str(row.resource_id),
        contactId: str(row.contact_id),
        slotKey: str(row.slot_key),
        startTime: readInst(row.start_time),
        endTime: readInst(row.end_time),
        occupiedStart: readInst(row.occupied_start),
        occupiedEnd: readInst(row.occupied_end),
        seats: num(row.seats),
        position: num(row.position),
        status: str(row.status) as WaitlistEntryRecord['status'],
        useCredits: strOrNull(row.use_credits),
        bookingId: strOrNull(row.booking_id),
        reason: strOrNull(row.reason),
        notes: strOrNull(row.notes),
        metadata: parse(row.metadata),
        promotedAt: readInstOrNull(row.promoted_at),
        createdAt: readInst(row.created_at),
        updatedAt: readInst(row.updated_at),
      }),
    },
  };
}

export type RowMapper = ReturnType<typeof rowMapper>;

/** The kinds with a row codec. */
export type CodecKind =
  | 'resource'
  | 'service'
  | 'allocation'
  | 'contact'
  | 'booking'
  | 'series'
  | 'event'
  | 'organization'
  | 'apiKey'
  | 'audit'
  | 'testClock'
  | 'product'
  | 'entitlement'
  | 'account'
  | 'transfer'
  | 'waitlistEntry';
