import { Reader } from '@x/wire';

/** RFC 5246 §7.4.5: ServerHelloDone has an empty body. */
export function decodeServerHelloDone(body: Uint8Array): void {
  new Reader(body).expectEnd('empty ServerHelloDone');
}

export function encodeServerHelloDone(): Uint8Array {
  return new Uint8Array(0);
}
