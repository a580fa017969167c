import { loadPatternLibrary } from './pattern-library.js';
let cached;
/** The shipped failure-pattern library, loaded once per process. */
export const defaultLibrary = () => (cached ??= loadPatternLibrary());
