import { Reader } from '@x/wire';

/** RFC 5246 §7.4.9: verify_data is 12 bytes for every suite we support. */
export const VERIFY_DATA_LENGTH = 12;

export function decodeFinished(body: Uint8Array): Uint8Array {
  const r = new Reader(body);
  const v = r.bytesView(VERIFY_DATA_LENGTH, 'verify_data');
  r.expectEnd('end of Finished');
  return v;
}

export function encodeFinished(verifyData: Uint8Array): Uint8Array {
  return verifyData.slice();
}
