/**
 * The MCP server driven by the MCP SDK's own `Client` over an in-memory transport, on the Seshn
 * SDK against a real local HTTP API (and, for comparison, on the embedded handle).
 */
import { Seshn } from '@seshn/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeshnMcpServer, type SeshnMcpClient } from '../src/index.js';
import { connectInMemory } from './connect.js';
import { type SeshnFixture, startSeshn } from './fixture.js';
import {
  bookingFlow,
  creditsFlow,
  errorsAreToolErrors,
  holdConfirmRescheduleCheckIn,
  listsValidTools,
  waitlistFlow,
} from './flow.js';

const connect = (c: SeshnMcpClient) => connectInMemory(createSeshnMcpServer(c));

describe.each([
  ['the SDK over HTTP', (fx: SeshnFixture) => new Seshn(fx.secret, { baseUrl: fx.baseUrl })],
  ['the embedded handle', (fx: SeshnFixture) => fx.handle],
] as const)('MCP server in memory, on %s', (_name, makeClient) => {
  let fx: SeshnFixture;
  let mcp: Awaited<ReturnType<typeof connect>>;
  beforeAll(async () => {
    fx = await startSeshn();
    mcp = await connect(makeClient(fx));
  });
  afterAll(async () => {
    await mcp?.close();
    await fx?.close();
  });

  it('lists the tools with object JSON Schemas', () => listsValidTools(mcp.client));
  it('checks availability, quotes, books 2 seats and cancels', () => bookingFlow(mcp.client, fx));
  it('answers a bad argument and a full slot with tool errors, and keeps serving', () =>
    errorsAreToolErrors(mcp.client, fx));
  it('holds, confirms, reschedules (offering the next slots when the target is full) and refuses an early check-in', () =>
    holdConfirmRescheduleCheckIn(mcp.client, fx));
  it('reports the contact’s pack, books 2 seats with its credits and reports what is left', () =>
    creditsFlow(mcp.client, fx));
  it('refuses the waitlist of a slot with room, joins a full one, and books the entry when seats free up', () =>
    waitlistFlow(mcp.client, fx));
  it('keeps serving when the API is unreachable', async () => {
    const down = await connect(new Seshn(fx.secret, { baseUrl: 'http://127.0.0.1:9/v1', maxRetries: 0 }));
    try {
      const r = await down.client.callTool({ name: 'seshn_list_services', arguments: {} });
      expect(r.isError).toBe(true);
      const again = await down.client.callTool({ name: 'seshn_list_services', arguments: {} });
      expect(again.isError).toBe(true);
    } finally {
      await down.close();
    }
  });
});
