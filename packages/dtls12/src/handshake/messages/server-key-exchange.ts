import { Reader, Writer } from '@x/wire';

/** RFC 8422 §5.4 ECCurveType named_curve. */
export const EC_CURVE_TYPE_NAMED_CURVE = 3;

/**
 * RFC 8422 §5.4 ServerKeyExchange for ECDHE: ServerECDHParams (named curve and
 * the ephemeral public point) followed by a digitally-signed struct.
 */
export interface ServerKeyExchange {
  readonly namedCurve: number;
  readonly publicKey: Uint8Array;
  /** SignatureAndHashAlgorithm as a 16-bit code point. */
  readonly signatureScheme: number;
  readonly signature: Uint8Array;
}

export function decodeServerKeyExchange(body: Uint8Array): ServerKeyExchange {
  const r = new Reader(body);
  const curveType = r.u8('ECCurveType');
  if (curveType !== EC_CURVE_TYPE_NAMED_CURVE) r.fail('named_curve (3)', String(curveType));
  const namedCurve = r.u16('NamedCurve');
  const publicKey = r.vector8('ECPoint');
  if (publicKey.length === 0) r.fail('ECPoint point<1..2^8-1>');
  const signatureScheme = r.u16('SignatureAndHashAlgorithm');
  const signature = r.vector16('signature');
  r.expectEnd('end of ServerKeyExchange');
  return { namedCurve, publicKey, signatureScheme, signature };
}

/** The signed part: ServerECDHParams (RFC 8422 §5.4), without the signature. */
export function encodeServerEcdhParams(namedCurve: number, publicKey: Uint8Array): Uint8Array {
  return new Writer(4 + publicKey.length)
    .u8(EC_CURVE_TYPE_NAMED_CURVE)
    .u16(namedCurve)
    .vector8(publicKey)
    .finish();
}

export function encodeServerKeyExchange(m: ServerKeyExchange): Uint8Array {
  return new Writer(8 + m.publicKey.length + m.signature.length)
    .bytes(encodeServerEcdhParams(m.namedCurve, m.publicKey))
    .u16(m.signatureScheme)
    .vector16(m.signature)
    .finish();
}
