import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { FactorialContext } from '../../factorial/factorial-context.js';
import { redact, redactDeep } from '../../redaction/redact.js';
import { registerAggregateFailures } from './aggregate-failures.js';
import { registerAnalyzeLogs } from './analyze-logs.js';
import { registerCancelConditions } from './cancel-conditions.js';
import { registerGenerateReport } from './generate-report.js';
import { registerJobStatus } from './job-status.js';
import { registerLaunchFactorial } from './launch-factorial.js';
import { registerLaunchJob } from './launch-job.js';
import { registerPreflightCheck } from './preflight-check.js';
import { registerQueueStatus } from './queue-status.js';
import { registerRebuildAndVerifyDigest } from './rebuild-and-verify-digest.js';
import { registerRalphStep } from './ralph-step.js';
import { registerRelaunchFailed } from './relaunch-failed.js';
import { registerWaitForChange } from './wait-for-change.js';

/** The server as the tools see it: whatever a tool returns or throws is redacted before it leaves. */
function redacting(server: McpServer): McpServer {
  const register = server.registerTool.bind(server) as (name: string, config: unknown, cb: (...args: unknown[]) => unknown) => unknown;
  const registerTool = (name: string, config: unknown, cb: (...args: unknown[]) => unknown) =>
    register(name, config, async (...args: unknown[]) => {
      try {
        return redactDeep(await cb(...args));
      } catch (e) {
        if (e instanceof Error) e.message = redact(e.message);
        throw e;
      }
    });
  return new Proxy(server, { get: (target, prop, receiver) => (prop === 'registerTool' ? registerTool : Reflect.get(target, prop, receiver)) });
}

export function registerTools(unredacted: McpServer, ctx: FactorialContext): void {
  const server = redacting(unredacted);
  registerLaunchFactorial(server, ctx);
  registerQueueStatus(server, ctx);
  registerWaitForChange(server, ctx);
  registerAnalyzeLogs(server, ctx);
  registerAggregateFailures(server, ctx);
  registerRebuildAndVerifyDigest(server, ctx);
  registerRelaunchFailed(server, ctx);
  registerCancelConditions(server, ctx);
  registerGenerateReport(server, ctx);
  registerPreflightCheck(server, ctx);
  registerLaunchJob(server, ctx);
  registerJobStatus(server, ctx);
  registerRalphStep(server, ctx);
}
