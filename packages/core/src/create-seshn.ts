/**
 * `createSeshn`: the embedded booking engine. One handle per tenant scope; `withScope` gives the
 * same engine for another organization or mode.
 * @module
 */
import { z } from 'zod';
import { buildEngine, type Engine } from './api/engine.js';
import { bindOperations, type EngineSource, type SeshnApi } from './api/handle.js';
import type { OperationSpec } from './api/operation.js';
import { decodeSlotId } from './booking/slot-id.js';
import { auditedAdapter } from './engine/audit.js';
import {
  type CallerContext,
  createContext,
  type EngineContext,
  type EngineSetup,
  type SeshnLimits,
} from './engine/context.js';
import { assertAdapter, guardAdapter } from './engine/guard-adapter.js';
import { type AuditActor, authorize, type Principal } from './engine/principal.js';
import { requestsApi, testClockOffset } from './engine/tenancy.js';
import { type WorkControl, workLoop } from './engine/work-loop.js';
import { SeshnError, type SeshnFieldIssue } from './errors/seshn-error.js';
import type { RequestBegin, Scope, SeshnAdapter } from './ports/adapter.js';
import { type Clock, systemClock } from './ports/clock.js';
import { type IdGenerator, type IdPrefix, typeIdGenerator } from './ports/ids.js';
import { type SeshnLogger, silentLogger } from './ports/logger.js';
import { checkProviders, type PaymentProvider } from './ports/providers.js';
import { webSecrets } from './ports/secrets.js';
import { parseInput } from './schema/parse.js';
import {
  type RequestAbandonInput,
  type RequestBeginInput,
  type RequestFinishInput,
  RoleSchema,
} from './schema/tenancy.js';

export interface SeshnOptions {
  /** Storage: `sqliteAdapter(...)`, `postgresAdapter(...)`, `mysqlAdapter(...)` or your own. */
  adapter: SeshnAdapter;
  /** The clock. Tests move it; holds expire by it. Default: the system clock. */
  now?: Clock;
  /** Id generator. Default: TypeID (`bkg_…`, UUIDv7, time-sortable). */
  ids?: IdGenerator;
  /** Tenant scope of this handle. Default `org_default` / `live`. */
  organizationId?: string;
  mode?: 'live' | 'test';
  limits?: Partial<SeshnLimits>;
  /**
   * The clock of each tenant scope, when they differ (a test clock per organization in test
   * mode). Called once per scope a handle is made for; wins over `now`.
   */
  clockFor?: (scope: Scope) => Clock;
  /** Structured logs (pino's call shape). Default: silent. */
  logger?: SeshnLogger;
  /** The payment provider, e.g. `stripePayments({ … })` from `@seshn/stripe` (checked now, used by paid bookings in a later release). */
  payments?: PaymentProvider;
}

const ScopeSchema = z
  .object({ organizationId: z.string().min(1).max(64), mode: z.enum(['live', 'test']) })
  .strict();

const ModeSchema = z.enum(['live', 'test']);

const PrincipalSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('api_key'),
      keyId: z.string().min(1).max(100),
      keyType: z.enum(['secret', 'publishable']),
      organizationId: z.string().min(1).max(64),
      mode: ModeSchema,
      role: RoleSchema.nullable(),
      scopes: z.array(z.string().max(100)).max(100).nullable(),
    })
    .strict(),
  z
    .object({ type: z.literal('anonymous'), organizationId: z.string().min(1).max(64), mode: ModeSchema })
    .strict(),
]);

const ActorSchema = z.object({ type: z.enum(['api_key', 'user']), id: z.string().min(1).max(200) }).strict();

const CallOptionsSchema = z
  .object({ requestId: z.string().min(1).max(200).optional() })
  .strict()
  .optional();

/** `sk_live_…`, `sk_test_…`, `pk_live_…`, `pk_test_…` then base64url characters. */
const SECRET_RE = /^(sk|pk)_(live|test)_[A-Za-z0-9_-]{16,200}$/;

const NO_CALLER: CallerContext = { principal: null, actor: null, requestId: null };

function forbidden(message: string, details: Record<string, unknown>): SeshnError {
  return new SeshnError('forbidden', message, details);
}

/**
 * An anonymous caller reaches a public operation only for a service whose config says
 * `public: true`: the service the input names (`serviceId`, `services.get`'s id, or a slot's).
 */
async function checkPublicService(ctx: EngineContext, op: OperationSpec, input: unknown): Promise<void> {
  const i = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  let serviceId: unknown = i.serviceId ?? (op.name === 'services.get' ? i.id : undefined);
  if (serviceId === undefined && typeof i.slotId === 'string') {
    try {
      serviceId = decodeSlotId(i.slotId).serviceId;
    } catch {
      return; // the operation itself refuses the malformed slot id
    }
  }
  if (typeof serviceId !== 'string') {
    throw forbidden(`An anonymous caller may call ${op.name} only for one public service`, {
      operation: op.name,
      reason: 'service_not_public',
    });
  }
  if (serviceId.length > 100) return; // the operation refuses it as input
  const service = await ctx.adapter.get('service', ctx.scope, serviceId);
  if (!service) return; // the operation answers not_found, as it would for a key
  if ((service.config as { public?: unknown }).public !== true) {
    throw forbidden(`Service ${serviceId} is not public: call it with an API key`, {
      operation: op.name,
      reason: 'service_not_public',
      serviceId,
    });
  }
}

/**
 * A handle: every operation of the table (`api/table.ts`) bound to one context, plus the
 * lifecycle of the adapter. Nothing here is written per operation. A handle with a caller (a
 * principal, an audit actor) or in test mode prepares each call: it authorizes the principal,
 * reads the organization's test clock, and audits the writes.
 */
function build(setup: EngineSetup, scope: Scope, caller: CallerContext = NO_CALLER): Seshn {
  const baseClock = setup.clockFor(scope);
  const ctx = createContext(setup, scope, { caller, baseClock });
  const plain = caller.principal === null && caller.actor === null;

  /** The context of one call: authorized, on the test clock, audited. */
  const prepare = async (op: OperationSpec | null, input: unknown): Promise<EngineContext> => {
    if (op?.testModeOnly && scope.mode === 'live') {
      throw forbidden(`${op.name} is only available in test mode`, {
        operation: op.name,
        reason: 'live_mode',
      });
    }
    if (op && caller.principal) {
      authorize(caller.principal, op);
      if (caller.principal.type === 'anonymous') await checkPublicService(ctx, op, input);
    }
    const testOffsetMs = await testClockOffset(setup.adapter, scope);
    // A read writes nothing to audit: on the real clock it shares the handle's own context.
    if (testOffsetMs === 0 && (plain || !op?.mutates || !caller.actor)) return ctx;
    const call = createContext(setup, scope, { caller, baseClock, testOffsetMs });
    if (op && caller.actor) {
      call.adapter = auditedAdapter(setup.adapter, {
        scope,
        actor: caller.actor,
        action: op.name,
        requestId: caller.requestId,
        ids: setup.ids,
        now: call.now,
      });
    }
    return call;
  };

  // Built on first use: a handle made per request (`withPrincipal`) often needs none.
  let shared: Engine | null = null;
  const engineOf = (c: EngineContext): Engine => {
    if (c !== ctx) return buildEngine(c);
    shared ??= buildEngine(ctx);
    return shared;
  };
  const source: EngineSource =
    plain && scope.mode === 'live'
      ? (op) => {
          if (op.testModeOnly) {
            throw forbidden(`${op.name} is only available in test mode`, {
              operation: op.name,
              reason: 'live_mode',
            });
          }
          return engineOf(ctx);
        }
      : async (op, input): Promise<Engine> => engineOf(await prepare(op, input));

  const requests = async () => requestsApi(await prepare(null, undefined));

  const api = bindOperations(source, setup.logger);
  return {
    ...api,
    // The loop keeps its live `running` getter, so it is the object the operations join.
    work: Object.assign(workLoop(api.work.runDue, setup.logger), api.work),
    scope: ctx.scope,
    principal: caller.principal,
    migrate: () => ctx.adapter.migrate(),
    close: () => ctx.adapter.close(),
    withScope(next: Scope) {
      const parsed = parseInput(ScopeSchema, next);
      const p = caller.principal;
      if (p && (p.organizationId !== parsed.organizationId || p.mode !== parsed.mode)) {
        throw forbidden("A principal's handle stays in its own organization and mode", {
          reason: 'other_scope',
        });
      }
      return build(setup, parsed, caller);
    },
    async authenticate(secret: string): Promise<Principal | null> {
      if (typeof secret !== 'string' || !SECRET_RE.test(secret)) return null;
      const hash = await setup.secrets.hash(secret);
      const found = await setup.adapter.findApiKey(hash);
      if (!found || !setup.secrets.equal(found.key.hash, hash) || found.key.revokedAt !== null) return null;
      const key = found.key;
      // The secret's own prefix must say what the key is.
      if (!secret.startsWith(`${key.type === 'secret' ? 'sk' : 'pk'}_${key.mode}_`)) return null;
      return {
        type: 'api_key',
        keyId: key.id,
        keyType: key.type,
        organizationId: found.organizationId,
        mode: key.mode,
        role: key.role,
        scopes: key.scopes,
      };
    },
    withPrincipal(principal: Principal, options?: { requestId?: string }) {
      const p = parseInput(PrincipalSchema, principal, 'principal') as Principal;
      const o = parseInput(CallOptionsSchema, options, 'options');
      return build(setup, parseInput(ScopeSchema, { organizationId: p.organizationId, mode: p.mode }), {
        principal: p,
        actor: p.type === 'api_key' ? { type: 'api_key', id: p.keyId } : null,
        requestId: o?.requestId ?? null,
      });
    },
    withActor(actor: AuditActor, options?: { requestId?: string }) {
      const a = parseInput(ActorSchema, actor, 'actor');
      const o = parseInput(CallOptionsSchema, options, 'options');
      return build(setup, scope, {
        principal: caller.principal,
        actor: a,
        requestId: o?.requestId ?? caller.requestId,
      });
    },
    requests: {
      begin: async (input) => (await requests()).begin(input),
      finish: async (input) => (await requests()).finish(input),
      abandon: async (input) => (await requests()).abandon(input),
    },
  };
}

/** The HTTP idempotency response store of a handle's scope (see `SeshnRequests.begin`). */
export interface SeshnRequests {
  /**
   * Claims an idempotency key for one request: `run` (do it, then `finish` or `abandon`),
   * `replay` (it ran: send the stored response), `conflict` (the key was used for another
   * request) or `busy` (in flight elsewhere). A claim whose lease (default 60 s) lapsed is taken
   * over; keys older than 24 h by the scope's clock count as new.
   */
  begin(input: RequestBeginInput): Promise<RequestBegin>;
  /** Stores the response of a claimed key (the body byte for byte). */
  finish(input: RequestFinishInput): Promise<void>;
  /** Drops an in-flight claim (nothing stored; the next `begin` runs). */
  abandon(input: RequestAbandonInput): Promise<void>;
}

/** The embedded engine: the groups of the operation table, and the adapter's lifecycle. */
export type Seshn = SeshnApi & {
  /** `runDue` (one batch) and, for an app without a scheduler, `start` / `stop` (a loop). */
  readonly work: WorkControl;
  /** The tenant this handle reads and writes. */
  readonly scope: Scope;
  /** The principal every call of this handle is authorized for (`withPrincipal`), or `null`. */
  readonly principal: Principal | null;
  /** Creates or upgrades the database schema. Idempotent; safe from several processes at once. */
  migrate(): Promise<void>;
  /** Releases the adapter's connections (shared by every scoped handle). */
  close(): Promise<void>;
  /** The same engine for another organization or mode. */
  withScope(scope: Scope): Seshn;
  /**
   * The principal of an API key secret, read from the database on every call (a revoked key is
   * refused from the next request on, in every process), or `null` for an unknown, malformed or
   * revoked secret.
   */
  authenticate(secret: string): Promise<Principal | null>;
  /**
   * The handle of `principal`: its organization and mode; every call is authorized first
   * (`authorize`) and every write audited with the key as actor and `requestId`.
   */
  withPrincipal(principal: Principal, options?: { requestId?: string }): Seshn;
  /** The same handle with every write audited as `actor` (no authorization). */
  withActor(actor: AuditActor, options?: { requestId?: string }): Seshn;
  /** The HTTP idempotency response store of this handle's scope. */
  readonly requests: SeshnRequests;
};

const LimitsSchema = z
  .object({ maxSeriesOccurrences: z.number().int().min(1).max(10_000).optional() })
  .strict();

const kindOf = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;

/** Ids Seshn stores: `<prefix>_` then letters, digits, `_` or `-`, at most 64 characters in all. */
const GENERATED_ID_RE = /^[A-Za-z0-9_-]+$/;

/**
 * An injected id generator, checked on every id it makes: the id must start with the prefix it
 * was asked for and an underscore (inputs are checked by that prefix, so `rsc_…` is a resource).
 */
function checkedIds(ids: IdGenerator): IdGenerator {
  return (prefix: IdPrefix) => {
    const id = ids(prefix);
    if (
      typeof id !== 'string' ||
      id.length > 64 ||
      !id.startsWith(`${prefix}_`) ||
      !GENERATED_ID_RE.test(id)
    ) {
      throw SeshnError.validation([
        {
          path: 'ids',
          message: `The ids option must return "${prefix}_" followed by letters, digits, _ or - (at most 64 characters) for prefix "${prefix}"`,
        },
      ]);
    }
    return id;
  };
}

/**
 * Checks the options once, at creation, so a wrong option is a `validation_failed` naming it
 * rather than a TypeError at first use. `now` is called once here.
 */
function checkOptions(options: SeshnOptions): void {
  if (options === null || typeof options !== 'object') {
    throw SeshnError.validation([{ path: '', message: 'Expected the options { adapter, now?, ids?, … }' }]);
  }
  assertAdapter(options.adapter);
  const fields: SeshnFieldIssue[] = [];
  if (options.now !== undefined) {
    if (typeof options.now !== 'function') {
      fields.push({
        path: 'now',
        message: `Expected a function returning a Date, got ${kindOf(options.now)}`,
      });
    } else {
      let value: unknown;
      try {
        value = options.now();
      } catch {
        fields.push({ path: 'now', message: 'now() threw when called; it must return the current Date' });
      }
      if (fields.length === 0 && !(value instanceof Date && Number.isFinite(value.getTime()))) {
        fields.push({
          path: 'now',
          message: `now() must return a valid Date, it returned ${value instanceof Date ? 'an invalid Date' : kindOf(value)}`,
        });
      }
    }
  }
  if (options.clockFor !== undefined && typeof options.clockFor !== 'function') {
    fields.push({
      path: 'clockFor',
      message: `Expected a function (scope) => clock, got ${kindOf(options.clockFor)}`,
    });
  }
  if (options.logger !== undefined) {
    const logger = options.logger as unknown as Record<string, unknown> | null;
    const missing = ['debug', 'info', 'warn', 'error'].filter(
      (level) => typeof logger?.[level] !== 'function',
    );
    if (missing.length > 0) {
      fields.push({
        path: 'logger',
        message: `Expected a logger with debug, info, warn and error (pino's shape); missing ${missing.join(', ')}`,
      });
    }
  }
  if (options.ids !== undefined && typeof options.ids !== 'function') {
    fields.push({ path: 'ids', message: `Expected a function (prefix) => id, got ${kindOf(options.ids)}` });
  }
  if (options.limits !== undefined) {
    const result = LimitsSchema.safeParse(options.limits);
    if (!result.success)
      fields.push(...(SeshnError.fromZod(result.error, 'limits').details.fields as SeshnFieldIssue[]));
  }
  if (fields.length > 0) throw SeshnError.validation(fields);
}

/**
 * Creates a Seshn handle on an adapter.
 *
 * @example
 * import { createSeshn } from '@seshn/core';
 * import { sqliteAdapter } from '@seshn/adapter-sqlite';
 * const seshn = createSeshn({ adapter: sqliteAdapter({ filename: ':memory:' }) });
 * await seshn.migrate();
 * const room = await seshn.resources.create({ name: 'Room A', timezone: 'Europe/London' });
 */
export function createSeshn(options: SeshnOptions): Seshn {
  checkOptions(options);
  const scope = parseInput(ScopeSchema, {
    organizationId: options.organizationId ?? 'org_default',
    mode: options.mode ?? 'live',
  });
  const limits: SeshnLimits = { maxSeriesOccurrences: 104, ...options.limits };
  const clock = options.now ?? systemClock;
  return build(
    {
      adapter: guardAdapter(options.adapter),
      clockFor: options.clockFor ?? (() => clock),
      ids: options.ids ? checkedIds(options.ids) : typeIdGenerator,
      limits,
      logger: options.logger ?? silentLogger,
      providers: checkProviders({ payments: options.payments }),
      secrets: webSecrets,
    },
    scope,
  );
}
