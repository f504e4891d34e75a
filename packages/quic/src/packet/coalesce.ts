import { DecodeError, equalBytes } from '@x/wire';
import { type PacketHeader, parsePacketHeader } from './header.js';

/**
 * RFC 9000 §12.2: a datagram may hold several coalesced packets, each long
 * header one ending where its Length says; a short-header packet (and Version
 * Negotiation, Retry, unknown versions) runs to the datagram's end.
 *
 * Returns the headers of the packets that parse. The first packet that does not
 * parse stops the walk: its Length cannot be trusted to find the next one. RFC
 * 9000 §12.2: packets whose Destination Connection ID differs from the first's
 * are ignored. Throws DecodeError only if the very first packet is malformed.
 */
export function splitDatagram(datagram: Uint8Array, shortDcidLength: number): PacketHeader[] {
  const packets: PacketHeader[] = [];
  let offset = 0;
  while (offset < datagram.length) {
    let header: PacketHeader;
    try {
      header = parsePacketHeader(datagram, offset, shortDcidLength);
    } catch (e) {
      if (packets.length === 0 || !(e instanceof DecodeError)) throw e;
      break;
    }
    if (packets.length > 0 && !equalBytes(header.dcid, packets[0]!.dcid)) break;
    packets.push(header);
    offset = header.end;
  }
  return packets;
}
