/**
 * AlgorithmIdentifier (RFC 5280 §4.1.1.2): an OID and optional parameters,
 * which the callers interpret per algorithm.
 */
import {
  badEncoding,
  contents,
  decodeOid,
  encodeNull,
  encodeOid,
  encodeSequence,
  TAG,
  type Tlv,
} from './der.js';

export interface AlgorithmIdentifier {
  readonly oid: string;
  /** The parameters TLV, or undefined when absent. */
  readonly params: Tlv | undefined;
}

export function readAlgorithmIdentifier(tlv: Tlv, what: string): AlgorithmIdentifier {
  if (tlv.tag !== TAG.SEQUENCE) throw badEncoding(`${what}: AlgorithmIdentifier is not a SEQUENCE`);
  const r = contents(tlv, what);
  const oid = decodeOid(r.next(TAG.OID, 'algorithm'), what);
  const params = r.done ? undefined : r.next();
  r.end();
  return { oid, params };
}

/** True when parameters are absent or an explicit NULL (both occur for RSA and ECDSA). */
export function isAbsentOrNull(params: Tlv | undefined): boolean {
  return params === undefined || (params.tag === TAG.NULL && params.value.length === 0);
}

export function encodeAlgorithmIdentifier(oid: string, params?: Uint8Array | 'null'): Uint8Array {
  if (params === undefined) return encodeSequence(encodeOid(oid));
  return encodeSequence(encodeOid(oid), params === 'null' ? encodeNull() : params);
}
