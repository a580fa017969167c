// `skyloop-mcp`: the MCP server over stdio. Nothing but protocol messages may reach stdout.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { defaultContext } from '../factorial/factorial-context.js';
import { createServer } from './server.js';
const server = createServer(defaultContext());
const transport = new StdioServerTransport();
let closing = false;
const shutdown = () => {
    if (closing)
        return;
    closing = true;
    void server.close().finally(() => process.exit(0));
};
// The SDK's stdio transport does not notice stdin closing; a client that goes away must not leave us running.
process.stdin.on('end', shutdown);
process.stdin.on('close', shutdown);
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
await server.connect(transport);
