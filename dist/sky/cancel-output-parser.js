export function parseCancelOutput(stdout) {
    const result = { cancelled: [], already_terminal: [], not_found: [] };
    for (const m of stdout.matchAll(/Jobs? with IDs? ([\d, ]+?) (?:is|are) scheduled to be cancelled/g)) {
        result.cancelled.push(...m[1].split(',').map((s) => Number(s.trim())));
    }
    for (const m of stdout.matchAll(/Job (\d+) is already in terminal state (\w+)\. Skipped\./g)) {
        result.already_terminal.push({ job_id: Number(m[1]), status: m[2] });
    }
    for (const m of stdout.matchAll(/Job (\d+) not found\. Skipped\./g))
        result.not_found.push(Number(m[1]));
    return result;
}
