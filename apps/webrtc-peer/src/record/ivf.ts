/**
 * IVF, the container libvpx and ffmpeg read for raw VP8: a 32-byte file
 * header ("DKIF", version 0, header size 32, fourcc, width, height, time base
 * rate and scale, frame count) and per frame a 12-byte header (size, 64-bit
 * timestamp), all little-endian.
 */
import { DecodeError, Reader } from '@x/wire';

export const IVF_HEADER_LENGTH = 32;

export interface IvfHeader {
  readonly fourcc: string;
  readonly width: number;
  readonly height: number;
  readonly timebaseDenominator: number;
  readonly timebaseNumerator: number;
  readonly frameCount: number;
}

export function encodeIvfHeader(h: IvfHeader): Uint8Array {
  const b = new Uint8Array(IVF_HEADER_LENGTH);
  const v = new DataView(b.buffer);
  b.set([0x44, 0x4b, 0x49, 0x46]); // DKIF
  v.setUint16(4, 0, true);
  v.setUint16(6, IVF_HEADER_LENGTH, true);
  for (let i = 0; i < 4; i++) b[8 + i] = h.fourcc.charCodeAt(i);
  v.setUint16(12, h.width, true);
  v.setUint16(14, h.height, true);
  v.setUint32(16, h.timebaseDenominator, true);
  v.setUint32(20, h.timebaseNumerator, true);
  v.setUint32(24, h.frameCount, true);
  return b;
}

export function encodeIvfFrameHeader(size: number, timestamp: number): Uint8Array {
  const b = new Uint8Array(12);
  const v = new DataView(b.buffer);
  v.setUint32(0, size, true);
  v.setBigUint64(4, BigInt(timestamp), true);
  return b;
}

export interface IvfFile {
  readonly header: IvfHeader;
  readonly frames: { readonly timestamp: bigint; readonly data: Uint8Array }[];
}

/** Reads an IVF file back. Raises only DecodeError. */
export function parseIvf(bytes: Uint8Array): IvfFile {
  const r = new Reader(bytes);
  const magic = r.bytesView(4);
  if (String.fromCharCode(...magic) !== 'DKIF')
    throw new DecodeError('not an IVF file (no DKIF)', 0);
  const le16 = () => {
    const x = r.bytesView(2);
    return x[0]! | (x[1]! << 8);
  };
  const le32 = () => {
    const x = r.bytesView(4);
    return (x[0]! | (x[1]! << 8) | (x[2]! << 16) | (x[3]! << 24)) >>> 0;
  };
  le16(); // version
  const headerSize = le16();
  if (headerSize < IVF_HEADER_LENGTH) throw new DecodeError('IVF header too short', 6);
  const fourcc = String.fromCharCode(...r.bytesView(4));
  const width = le16();
  const height = le16();
  const timebaseDenominator = le32();
  const timebaseNumerator = le32();
  const frameCount = le32();
  r.skip(headerSize - 28);
  const frames: IvfFile['frames'] = [];
  while (r.remaining > 0) {
    const size = le32();
    const lo = le32();
    const hi = le32();
    frames.push({ timestamp: (BigInt(hi) << 32n) | BigInt(lo), data: r.bytesView(size) });
  }
  return {
    header: { fourcc, width, height, timebaseDenominator, timebaseNumerator, frameCount },
    frames,
  };
}
