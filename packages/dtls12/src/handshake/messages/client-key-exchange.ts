import { Reader, Writer } from '@x/wire';

/** RFC 8422 §5.7: ClientECDiffieHellmanPublic, ECPoint ecdh_Yc<1..2^8-1>. */
export function decodeClientKeyExchange(body: Uint8Array): Uint8Array {
  const r = new Reader(body);
  const point = r.vector8('ecdh_Yc');
  if (point.length === 0) r.fail('ECPoint point<1..2^8-1>');
  r.expectEnd('end of ClientKeyExchange');
  return point;
}

export function encodeClientKeyExchange(publicKey: Uint8Array): Uint8Array {
  return new Writer(1 + publicKey.length).vector8(publicKey).finish();
}
