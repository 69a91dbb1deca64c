/**
 * `@seshn/mcp`: the Seshn booking engine as MCP tools for AI assistants, over `@seshn/sdk`.
 * `createSeshnMcpServer(client)` gives an `McpServer`; `npx @seshn/mcp` runs it on stdio (or
 * Streamable HTTP with `--http --port N`).
 * @module
 */
export type { OperationName, ResultOf, SeshnMcpClient } from './client.js';
export { type SeshnMcpHttpOptions, seshnMcpListener } from './http.js';
export {
  type CompiledTool,
  createSeshnMcpServer,
  registerSeshnTool,
  type SeshnMcpServerOptions,
  schemasOf,
  VERSION,
} from './server.js';
export {
  type ClientError,
  modelInputSchema,
  modelOutputSchema,
  type ToolContext,
  type ToolSpec,
  tool,
} from './tool.js';
export { nextSlots, SESHN_TOOLS } from './tools.js';
