import { ContentType } from '../record/record.js';
import type { RecordLayer } from '../record/record-layer.js';
import type { FlightMessage } from './context.js';
import { encodeFragment } from './fragment-buffer.js';
import { HANDSHAKE_HEADER_LENGTH } from './messages/handshake-header.js';

const CCS_BODY = Uint8Array.of(1);
/** Below this much room a fragment is not worth its headers: start a new datagram. */
const MIN_FRAGMENT = 64;

/**
 * Writes a flight into datagrams (RFC 6347 §4.2.3): each message is cut into
 * fragments that fill the datagram being built, so a flight takes as few
 * datagrams as the MTU allows and several records share a datagram. A
 * retransmission calls this again: fresh record sequence numbers, the same
 * message_seq, fragments recomputed. Returns whether a ChangeCipherSpec was sent.
 */
export function writeFlight(rl: RecordLayer, flight: readonly FlightMessage[]): boolean {
  let ccs = false;
  for (const m of flight) {
    if (m.kind === 'change_cipher_spec') {
      rl.writeRecord(ContentType.change_cipher_spec, m.epoch, CCS_BODY);
      ccs = true;
      continue;
    }
    const body = m.body;
    let offset = 0;
    do {
      let room = rl.roomInDatagram(m.epoch) - HANDSHAKE_HEADER_LENGTH;
      if (room < Math.min(MIN_FRAGMENT, body.length - offset) || room <= 0) {
        rl.flushDatagram();
        room = rl.roomInEmptyDatagram(m.epoch) - HANDSHAKE_HEADER_LENGTH;
      }
      const length = Math.min(room, body.length - offset);
      rl.writeRecord(
        ContentType.handshake,
        m.epoch,
        encodeFragment(m.msgType, m.messageSeq, body, offset, length),
      );
      offset += length;
    } while (offset < body.length);
  }
  rl.flushDatagram();
  return ccs;
}
