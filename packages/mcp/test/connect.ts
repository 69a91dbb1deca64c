/**
 * The MCP SDK's own `Client` connected to a server over a linked in-memory transport pair (used by
 * the tests and by `bench/mcp.ts`).
 */
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import type { McpServer } from '@modelcontextprotocol/server';

export async function connectInMemory(server: McpServer, name = 'seshn-mcp-test') {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(clientSide);
  return {
    client,
    async close() {
      await client.close();
      await server.close();
    },
  };
}
