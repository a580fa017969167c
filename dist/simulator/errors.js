// Ways a simulated `sky` invocation ends other than normally. main.ts turns each into the stream
// text and exit status SkyPilot (click) uses.
/** click.UsageError / NoSuchOption / BadParameter: `Usage: …`, `Try '… -h' for help.`, blank, `Error: …`; exit 2. */
export class ClickUsageError extends Error {
    usage;
    commandPath;
    constructor(usage, commandPath, message) {
        super(message);
        this.usage = usage;
        this.commandPath = commandPath;
    }
}
/** An uncaught SkyPilot exception, printed traceback-less as `sky.exceptions.<Class>: <message>` (or `<Class>: …` for builtins); exit 1. */
export class SkyException extends Error {
    className;
    constructor(className, message) {
        super(message);
        this.className = className;
    }
}
/** click.Abort (a declined or EOF'd prompt): `Aborted!` on stderr, exit 1. */
export class ClickAbort extends Error {
    constructor() {
        super('Aborted!');
    }
}
/** Ends the process with this status after stdout has drained. */
export class ExitWith extends Error {
    code;
    constructor(code) {
        super(`exit ${code}`);
        this.code = code;
    }
}
/** A problem with the simulator's own inputs (scenario file, state): `sky-sim: <message>`, exit 1. */
export class SimConfigError extends Error {
}
