/**
 * `createSeshnMcpServer(client)`: an MCP server whose tools call a Seshn client (the SDK, or an
 * embedded handle). Each tool is a record of {@link SESHN_TOOLS}; this file turns records into
 * registered tools once.
 * @module
 */
import {
  type CallToolResult,
  McpServer,
  type StandardSchemaWithJSON,
  type ToolAnnotations,
} from '@modelcontextprotocol/server';
import type { OperationSpec } from '@seshn/core';
import type { SeshnMcpClient } from './client.js';
import { errorText, fieldList, zodIssues } from './errors.js';
import {
  asClientError,
  modelInputSchema,
  modelOutputSchema,
  operationOf,
  standardSchema,
  type ToolContext,
  type ToolSpec,
} from './tool.js';
import { SESHN_TOOLS } from './tools.js';

type Json = Record<string, unknown>;

export interface SeshnMcpServerOptions {
  /** The server's name in `initialize` (default `seshn`). */
  name?: string;
  /** The server's version in `initialize` (default this package's). */
  version?: string;
  /** The tools to serve (default {@link SESHN_TOOLS}); add records for new operations. */
  tools?: readonly ToolSpec[];
}

export const VERSION = '0.1.0';

/** The tool's hints for clients, from the operation: reads are read-only, cancel is destructive. */
function annotationsOf(spec: ToolSpec, mutates: boolean): ToolAnnotations {
  const idempotent = /\.(cancel|confirm|checkIn|get|list|find|query|quote)$/.test(spec.operation);
  return {
    title: spec.title,
    readOnlyHint: !mutates,
    destructiveHint: mutates && /\.cancel$/.test(spec.operation),
    idempotentHint: idempotent,
    openWorldHint: false,
  };
}

function toolError(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/** A server-wide cache of resource time zones, filled from slots and from `resources.get`. */
function contextFor(client: SeshnMcpClient): ToolContext {
  const zones = new Map<string, Promise<string | undefined>>();
  return {
    client,
    rememberZone(resourceId, timeZone) {
      zones.set(resourceId, Promise.resolve(timeZone));
    },
    zoneOf(resourceId) {
      let zone = zones.get(resourceId);
      if (!zone) {
        zone = client.resources.get({ id: resourceId }).then(
          (r) => r.timezone,
          () => {
            zones.delete(resourceId); // not cached: a later call may be allowed to read it
            return undefined;
          },
        );
        zones.set(resourceId, zone);
      }
      return zone;
    },
  };
}

/** Calls the operation through the client: `client[group][method](input)`, the one-object form. */
function callOperation(client: SeshnMcpClient, name: string, input: Json): Promise<unknown> {
  const [group, method] = name.split('.') as [string, string];
  const fn = (client as unknown as Record<string, Record<string, (input: Json) => Promise<unknown>>>)[
    group
  ]?.[method];
  if (typeof fn !== 'function') {
    return Promise.reject(new Error(`The Seshn client has no ${name} (is it an older SDK?)`));
  }
  return fn.call((client as unknown as Record<string, unknown>)[group], input);
}

/** What a tool record compiles to: its operation, the zod schema it validates with, its JSON Schemas. */
export interface CompiledTool {
  op: OperationSpec;
  /** The operation's own zod input schema: every call is validated with it. */
  input: OperationSpec['input'];
  inputSchema: StandardSchemaWithJSON<Json, Json>;
  outputSchema: StandardSchemaWithJSON<Json, Json>;
}

const compiled = new WeakMap<ToolSpec, CompiledTool>();

function compile(spec: ToolSpec): CompiledTool {
  const op = operationOf(spec);
  return {
    op,
    input: op.input,
    inputSchema: standardSchema(modelInputSchema(op, spec.fields)),
    outputSchema: standardSchema(modelOutputSchema(op, spec.resultKey)),
  };
}

/** The operation and schemas of a tool, computed once per record (a server per HTTP request is cheap). */
export function schemasOf(spec: ToolSpec): CompiledTool {
  let c = compiled.get(spec);
  if (!c) {
    c = compile(spec);
    compiled.set(spec, c);
  }
  return c;
}

/** Registers one tool record on `server`. */
export function registerSeshnTool(
  server: McpServer,
  client: SeshnMcpClient,
  spec: ToolSpec,
  ctx = contextFor(client),
) {
  const { op, input: validator, inputSchema, outputSchema } = schemasOf(spec);
  return server.registerTool(
    spec.name,
    {
      title: spec.title,
      description: spec.description,
      inputSchema,
      outputSchema,
      annotations: annotationsOf(spec, op.mutates),
    },
    async (args: Json): Promise<CallToolResult> => {
      const input = args ?? {};
      const parsed = validator.safeParse(input);
      if (!parsed.success) {
        return toolError(
          `Invalid arguments for ${spec.name}: ${fieldList(zodIssues(parsed.error.issues))}. Fix these fields and call ${spec.name} again.`,
        );
      }
      let result: unknown;
      try {
        result = await callOperation(client, spec.operation, input);
      } catch (error) {
        const refusal = asClientError(error);
        let text = errorText(spec.name, refusal);
        if (spec.recover) {
          try {
            const advice = await spec.recover(refusal, input, ctx);
            if (advice) text += `\n${advice}`;
          } catch {
            // Advice is best effort: the refusal itself is the answer.
          }
        }
        return toolError(text);
      }
      const structuredContent = (spec.resultKey ? { [spec.resultKey]: result } : result) as Json;
      let text: string;
      try {
        text = await spec.text(result as never, input, ctx);
      } catch {
        text = JSON.stringify(result);
      }
      return { content: [{ type: 'text', text }], structuredContent };
    },
  );
}

/**
 * An MCP server with the Seshn tools over `client`: `new Seshn(apiKey, { baseUrl })` from
 * `@seshn/sdk`, or any object with the handle's shape (an embedded `createSeshn` handle).
 * Connect it to a transport: `await server.connect(new StdioServerTransport())`.
 */
export function createSeshnMcpServer(client: SeshnMcpClient, options: SeshnMcpServerOptions = {}): McpServer {
  const server = new McpServer(
    { name: options.name ?? 'seshn', version: options.version ?? VERSION },
    {
      capabilities: { tools: {} },
      instructions:
        'Seshn books classes and appointments. Typical flow: seshn_list_services → seshn_check_availability → ' +
        'seshn_find_contact → seshn_quote_booking (tell the user the price) → seshn_create_booking. Times are given ' +
        "in the resource's time zone and in UTC; pass ids exactly as returned.",
    },
  );
  const ctx = contextFor(client);
  for (const spec of options.tools ?? SESHN_TOOLS) registerSeshnTool(server, client, spec, ctx);
  return server;
}
