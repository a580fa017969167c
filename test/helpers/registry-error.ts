import { expect } from 'vitest';
import { RegistryError } from '../../mcp-server/src/registry/registry-errors.js';

/** The RegistryError a promise rejects with (fails the test if it resolves or throws something else). */
export async function rejection(p: Promise<unknown>): Promise<RegistryError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RegistryError);
  return e as RegistryError;
}
