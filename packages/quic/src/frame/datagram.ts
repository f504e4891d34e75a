import type { Reader, Writer } from '@x/wire';
import { FrameType } from './common.js';

/**
 * RFC 9221 §4: DATAGRAM, type 0x30 (data to the end of the packet) or 0x31 (with a
 * Length). `data` is a view into the packet payload. Only valid when the peer
 * advertised max_datagram_frame_size (the connection checks that).
 */
export interface DatagramFrame {
  readonly type: 'datagram';
  readonly data: Uint8Array;
  /** Default true when encoding. */
  readonly explicitLength?: boolean;
}

export function decodeDatagram(r: Reader, frameType: number): DatagramFrame {
  const explicitLength = frameType === FrameType.DATAGRAM_LEN;
  const data = explicitLength ? r.varintVector('Datagram Data') : r.rest();
  return { type: 'datagram', data, explicitLength };
}

export function encodeDatagram(w: Writer, f: DatagramFrame): void {
  if (f.explicitLength === false) w.varint(FrameType.DATAGRAM).bytes(f.data);
  else w.varint(FrameType.DATAGRAM_LEN).varintVector(f.data);
}
