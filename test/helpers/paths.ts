import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const SKYLOOP = join(REPO, 'bin', 'skyloop');
export const SKYLOOP_MCP = join(REPO, 'bin', 'skyloop-mcp');
export const SKY_SIM = join(REPO, 'bin', 'sky-sim');

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `skyloop-${prefix}-`));

/** MCP requests in tests wait on events, not on the machine's speed: this limit only catches a hang. */
export const MCP_CALL_LIMIT_MS = 600_000;
