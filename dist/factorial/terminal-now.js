// F1 against SkyPilot's statuses as they are now: when the manifest says jobs still run, one read-only poll
// (no kill switch) refreshes it before refusing, so a refusal never rests on a stale "submitted".
import { checkWaitForTerminal } from '../rules/wait-for-terminal.js';
import { pollExperiment } from './poll-experiment.js';
export async function checkTerminalNow(store, ctx, { killSwitchException }) {
    const manifest = store.read();
    const verdict = checkWaitForTerminal(manifest, { killSwitchException });
    if (verdict.allowed)
        return { verdict, manifest };
    try {
        await pollExperiment(store.experimentId, ctx, { killSwitch: false });
    }
    catch (e) {
        // The stale verdict stands; say why it could not be refreshed.
        return { verdict: { ...verdict, details: [...verdict.details, `(statuses from the manifest: sky jobs queue failed: ${e.message.split('\n')[0]})`] }, manifest };
    }
    const fresh = store.read();
    return { verdict: checkWaitForTerminal(fresh, { killSwitchException }), manifest: fresh };
}
