import { DecodeError } from '@x/wire';

/** Runs a decoder on hostile input: it may return or throw DecodeError, nothing else. */
export function onlyDecodeError(decode: () => unknown): void {
  try {
    decode();
  } catch (e) {
    if (!(e instanceof DecodeError)) throw new Error(`decoder threw ${String(e)}, not DecodeError`);
  }
}
