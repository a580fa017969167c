import { loadPatternLibrary, type PatternLibrary } from './pattern-library.js';

let cached: PatternLibrary | undefined;

/** The shipped failure-pattern library, loaded once per process. */
export const defaultLibrary = (): PatternLibrary => (cached ??= loadPatternLibrary());
