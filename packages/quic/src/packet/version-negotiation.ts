import { Reader, Writer } from '@x/wire';
import type { PacketHeader } from './header.js';

/**
 * Version Negotiation (RFC 9000 §6, §17.2.1). A server answers a long header with
 * an unsupported version by echoing the client's connection IDs swapped and
 * listing the versions it supports.
 */
export interface VersionNegotiationFields {
  /** The client's Source Connection ID. */
  readonly dcid: Uint8Array;
  /** The client's Destination Connection ID. */
  readonly scid: Uint8Array;
  readonly supportedVersions: readonly number[];
  /** §17.2.1: the 7 Unused bits of the first byte are arbitrary. */
  readonly unusedBits?: number;
}

export function encodeVersionNegotiation(f: VersionNegotiationFields): Uint8Array {
  if (f.supportedVersions.length === 0) throw new RangeError('no supported versions');
  const w = new Writer(7 + f.dcid.length + f.scid.length + 4 * f.supportedVersions.length);
  w.u8(0x80 | ((f.unusedBits ?? 0) & 0x7f));
  w.u32(0);
  w.vector8(f.dcid);
  w.vector8(f.scid);
  for (const v of f.supportedVersions) w.u32(v);
  return w.finish().slice();
}

/** The versions listed in a parsed Version Negotiation packet. */
export function supportedVersions(datagram: Uint8Array, header: PacketHeader): number[] {
  const r = new Reader(datagram, header.pnOffset, header.end);
  const versions: number[] = [];
  while (!r.done) versions.push(r.u32('supported version'));
  return versions;
}

/**
 * RFC 9000 §6.2: what a client does with a Version Negotiation packet. It is
 * ignored if it lists the version the client chose (it may be forged or stale);
 * otherwise the client picks the first mutually supported version, or gives up.
 */
export function chooseVersion(
  offered: readonly number[],
  current: number,
  ours: readonly number[],
): { action: 'ignore' } | { action: 'switch'; version: number } | { action: 'abandon' } {
  if (offered.includes(current)) return { action: 'ignore' };
  for (const v of ours) if (offered.includes(v)) return { action: 'switch', version: v };
  return { action: 'abandon' };
}

/**
 * RFC 9000 §15: versions of the form 0x?a?a?a?a are reserved to exercise version
 * negotiation; a server may list one.
 */
export function isReservedVersion(version: number): boolean {
  return (version & 0x0f0f0f0f) === 0x0a0a0a0a;
}
