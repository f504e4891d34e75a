/**
 * Shared plumbing for the Wycheproof suites (see ../shared/vectors/wycheproof/README.md):
 * flattening groups into named cases, reading typed fields, and the rule that an
 * `invalid` vector is rejected by returning false/null or throwing CryptoError,
 * and never by any other exception.
 */
import { loadWycheproof, toHex, type WycheproofGroup, type WycheproofTest } from '@x/test-helpers';
import { expect } from 'vitest';
import { CryptoError, type CryptoErrorCode } from '../../errors.js';

export interface Case {
  /** `tcId N: comment [flags]`, the name vitest reports. */
  readonly label: string;
  readonly group: WycheproofGroup;
  readonly test: WycheproofTest;
}

/** Every vector of `file` as a named case, plus the file's own total for the count checks. */
export function loadCases(file: string): { cases: Case[]; numberOfTests: number } {
  const data = loadWycheproof(file);
  const cases = data.testGroups.flatMap((group) =>
    group.tests.map((test) => ({
      label: `tcId ${test.tcId}: ${test.comment || '(no comment)'} [${test.flags.join(', ')}]`,
      group,
      test,
    })),
  );
  return { cases, numberOfTests: data.numberOfTests };
}

/** A string field of a test or group object (all Wycheproof byte strings are hex). */
export function str(obj: Record<string, unknown>, field: string): string {
  const v = obj[field];
  if (typeof v !== 'string') throw new Error(`Wycheproof field ${field} is not a string`);
  return v;
}

export function num(obj: Record<string, unknown>, field: string): number {
  const v = obj[field];
  if (typeof v !== 'number') throw new Error(`Wycheproof field ${field} is not a number`);
  return v;
}

export function obj(o: Record<string, unknown>, field: string): Record<string, unknown> {
  const v = o[field];
  if (typeof v !== 'object' || v === null)
    throw new Error(`Wycheproof field ${field} is not an object`);
  return v as Record<string, unknown>;
}

/** Byte arrays compared as hex, so a failure shows readable bytes. */
export function expectBytes(actual: Uint8Array | null, expected: Uint8Array): void {
  expect(actual === null ? null : toHex(actual)).toBe(toHex(expected));
}

/**
 * The `invalid` rule (README §4): the operation fails by returning false/null
 * or by throwing CryptoError (of `code`, when given); a raw library exception
 * or a successful result is a failure.
 */
export function expectRejected(op: () => unknown, code?: CryptoErrorCode): void {
  let result: unknown;
  try {
    result = op();
  } catch (e) {
    expect(e).toBeInstanceOf(CryptoError);
    if (code !== undefined) expect((e as CryptoError).code).toBe(code);
    return;
  }
  if (code !== undefined) expect.fail(`expected CryptoError('${code}'), got a result`);
  expect(result === false || result === null).toBe(true);
}

/** The operation must throw CryptoError with this code. */
export function expectCryptoError(op: () => unknown, code: CryptoErrorCode): void {
  let thrown: unknown;
  try {
    op();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(CryptoError);
  expect((thrown as CryptoError).code).toBe(code);
}

/** True when every byte is zero. */
export function isAllZero(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0);
}
