import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests spawn real child processes (the simulator, the CLI, the MCP server); keep workers modest on 2 cores.
    maxWorkers: 2,
    // A backstop against a hang, not a speed limit: tests wait on events and the simulator's virtual clock,
    // and must pass on a busy 2-core machine however slow it is.
    testTimeout: 900_000,
    hookTimeout: 900_000,
  },
});
