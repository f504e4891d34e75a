import { toHex } from '@x/wire';
import type { Frame } from '../frame/codec.js';

/** One frame as the quic-echo trace prints it (the walkthrough's wording). */
export function describeFrame(f: Frame): string {
  switch (f.type) {
    case 'padding':
      return `PADDING(${f.length})`;
    case 'ack':
      return `ACK(${f.ranges.map((r) => (r.smallest === r.largest ? `${r.largest}` : `${r.smallest}-${r.largest}`)).join(',')} delay=${f.ackDelay})`;
    case 'crypto':
      return `CRYPTO(off=${f.offset} len=${f.data.length})`;
    case 'stream':
      return `STREAM(id=${f.streamId} off=${f.offset} len=${f.data.length}${f.fin ? ' fin' : ''})`;
    case 'new_connection_id':
      return `NEW_CONNECTION_ID(seq=${f.sequenceNumber} cid=${toHex(f.connectionId)} retire_prior_to=${f.retirePriorTo})`;
    case 'retire_connection_id':
      return `RETIRE_CONNECTION_ID(seq=${f.sequenceNumber})`;
    case 'new_token':
      return `NEW_TOKEN(len=${f.token.length})`;
    case 'handshake_done':
      return 'HANDSHAKE_DONE';
    case 'connection_close':
      return `CONNECTION_CLOSE(${f.application ? 'app' : 'transport'} code=0x${f.errorCode.toString(16)} "${new TextDecoder().decode(f.reasonPhrase)}")`;
    case 'max_data':
      return `MAX_DATA(${f.maximumData})`;
    case 'max_stream_data':
      return `MAX_STREAM_DATA(id=${f.streamId} ${f.maximumStreamData})`;
    case 'max_streams':
      return `MAX_STREAMS(${f.bidirectional ? 'bidi' : 'uni'} ${f.maximumStreams})`;
    case 'reset_stream':
      return `RESET_STREAM(id=${f.streamId} code=${f.applicationErrorCode} final=${f.finalSize})`;
    case 'stop_sending':
      return `STOP_SENDING(id=${f.streamId} code=${f.applicationErrorCode})`;
    default:
      return f.type.toUpperCase();
  }
}

export function describePacket(
  direction: 'sent' | 'recv',
  type: string,
  dcid: Uint8Array,
  scid: Uint8Array | undefined,
  pn: number | undefined,
  size: number,
  frames: readonly Frame[],
  extra = '',
): string {
  const ids =
    scid === undefined ? `dcid=${toHex(dcid)}` : `dcid=${toHex(dcid)} scid=${toHex(scid)}`;
  const number = pn === undefined ? '' : ` pn=${pn}`;
  const list = frames.map(describeFrame).join(' ');
  return `${direction} ${type} ${ids}${number} len=${size}${extra}${list ? `: ${list}` : ''}`;
}

/** qlog (draft-ietf-quic-qlog-quic-events) frame objects, the subset qvis shows. */
export function qlogFrame(f: Frame): Record<string, unknown> {
  switch (f.type) {
    case 'ack':
      return {
        frame_type: 'ack',
        ack_delay: f.ackDelay,
        acked_ranges: f.ranges.map((r) => [r.smallest, r.largest]).reverse(),
      };
    case 'crypto':
      return { frame_type: 'crypto', offset: f.offset, length: f.data.length };
    case 'stream':
      return {
        frame_type: 'stream',
        stream_id: f.streamId,
        offset: f.offset,
        length: f.data.length,
        fin: f.fin,
      };
    case 'padding':
      return { frame_type: 'padding', length: f.length };
    default:
      return { frame_type: f.type };
  }
}
