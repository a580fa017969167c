// Delivering notifications: an outbox over an event log (a grid's or ralph-loop's). Every notice is sent to
// every target that wants it, once: what was delivered (or given up on) is appended to a ledger next to the event log,
// so a restarted supervisor sends nothing twice. Delivery runs beside the supervisor, bounded in time and
// retries; a failing target is logged and never stops or slows a poll.
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { backoffMs } from '../../sky/sky-timeouts.js';
import { appendJsonl } from '../../store/jsonl-log.js';
const LedgerLine = z.object({ key: z.string(), target: z.string(), ok: z.boolean(), at: z.string(), error: z.string().nullable(), event: z.string() });
/** Names a target in the ledger and in messages: distinct per target, without the URL's secret path. */
export const targetName = (t) => {
    const id = createHash('sha256').update(JSON.stringify(t)).digest('hex').slice(0, 8);
    return 'webhook' in t ? `webhook ${new URL(t.webhook).host} #${id}` : `command ${t.command[0]} #${id}`;
};
export class Notifier {
    options;
    done = new Set();
    inFlight = new Set();
    constructor(options) {
        this.options = options;
        if (existsSync(options.ledgerPath)) {
            for (const line of readFileSync(options.ledgerPath, 'utf8').split('\n')) {
                const parsed = line.trim() === '' ? null : LedgerLine.safeParse(safeJson(line));
                if (parsed?.success)
                    this.done.add(`${parsed.data.key}|${parsed.data.target}`);
            }
        }
    }
    /** Whether some target has not had this notice yet (so rendering it is worth it). */
    wants(key, type) {
        return this.options.targets.some((t) => (!t.events || t.events.includes(type)) && !this.done.has(`${key}|${targetName(t)}`));
    }
    /** Queue every notice not yet delivered to a target that wants it; returns at once. */
    offer(notices) {
        for (const n of notices) {
            for (const t of this.options.targets) {
                if (t.events && !t.events.includes(n.type))
                    continue;
                const id = `${n.key}|${targetName(t)}`;
                if (this.done.has(id))
                    continue;
                this.done.add(id);
                const p = this.deliver(n, t).finally(() => this.inFlight.delete(p));
                this.inFlight.add(p);
            }
        }
    }
    /** Wait for deliveries under way (on shutdown), at most `ms`. */
    async drain(ms) {
        await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, ms).unref())]);
    }
    async deliver(n, t) {
        const retries = this.options.retries ?? 2;
        let error = null;
        for (let attempt = 0; attempt <= retries; attempt++) {
            try {
                await this.send(n, t);
                error = null;
                break;
            }
            catch (err) {
                error = err.message;
                if (attempt < retries)
                    await new Promise((r) => setTimeout(r, backoffMs(this.options.retryDelayMs ?? 1000, attempt)));
            }
        }
        appendJsonl(this.options.ledgerPath, [{ key: n.key, target: targetName(t), ok: error === null, at: new Date().toISOString(), error, event: n.type }]);
        if (error !== null)
            this.options.onFailure?.(`notification ${n.type} to ${targetName(t)} failed: ${error}`);
    }
    async send(n, t) {
        const timeoutMs = this.options.timeoutMs ?? 10_000;
        if ('webhook' in t) {
            const res = await fetch(t.webhook, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: t.format === 'slack' ? n.slack : n.json,
                signal: AbortSignal.timeout(timeoutMs),
            });
            await res.arrayBuffer();
            if (!res.ok)
                throw new Error(`HTTP ${res.status}`);
            return;
        }
        const [bin, ...args] = t.command;
        const r = await execa(bin, args, { input: n.json, timeout: timeoutMs, reject: false, stdout: 'ignore', stderr: 'pipe', forceKillAfterDelay: 1_000 });
        if (r.timedOut)
            throw new Error(`no exit within ${timeoutMs / 1000} s`);
        if (r.exitCode !== 0)
            throw new Error(`exit ${r.exitCode ?? r.signal}: ${String(r.stderr).trim().split('\n').at(-1) ?? ''}`);
    }
}
function safeJson(line) {
    try {
        return JSON.parse(line);
    }
    catch {
        return null;
    }
}
/** Time limit of one delivery (SKYLOOP_NOTIFY_TIMEOUT_MS, default 10 s). */
export const notifyTimeoutMs = (env = process.env) => Number(env.SKYLOOP_NOTIFY_TIMEOUT_MS) || 10_000;
