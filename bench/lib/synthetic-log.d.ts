export function writeSyntheticLog(path: string, bytes: number, tail: string): void;
