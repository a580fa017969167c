// Tool-schema snapshots: a tool's name, description, input/output schema and annotations are the
// contract agents rely on. A change must be deliberate: update with `npx vitest run test/mcp -u`.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { describe, expect, it } from 'vitest';
import { defaultContext } from '../../mcp-server/src/factorial/factorial-context.js';
import { createServer } from '../../mcp-server/src/mcp/server.js';
import { tempDir } from '../helpers/paths.js';

describe('MCP tool contracts', () => {
  it('match their snapshots in test/mcp/__toolsnaps__/', async () => {
    const server = createServer(defaultContext({ outputsDir: tempDir('toolsnaps') }));
    const client = new Client({ name: 'toolsnaps', version: '0' });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await Promise.all([server.connect(b), client.connect(a)]);
    try {
      const { tools } = await client.listTools();
      for (const tool of tools) {
        await expect(JSON.stringify(tool, null, 2) + '\n').toMatchFileSnapshot(`./__toolsnaps__/${tool.name}.json`);
      }
    } finally {
      await client.close();
      await server.close();
    }
  });
});
