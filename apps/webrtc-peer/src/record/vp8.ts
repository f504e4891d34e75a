/**
 * VP8 over RTP (RFC 7741): strip the payload descriptor (§4.2) and put the
 * partitions of one frame back together. A frame is every packet with one
 * RTP timestamp; it starts at S=1, PID=0 and ends at the marker bit.
 */

export interface Vp8Payload {
  /** S bit with PID 0: the first packet of a frame. */
  readonly frameStart: boolean;
  readonly data: Uint8Array;
}

/** Undefined when the descriptor is cut short. */
export function parseVp8Payload(payload: Uint8Array): Vp8Payload | undefined {
  if (payload.length < 1) return undefined;
  const b0 = payload[0]!;
  let at = 1;
  if (b0 & 0x80) {
    // X: extension byte I L T K
    if (payload.length < 2) return undefined;
    const x = payload[1]!;
    at = 2;
    if (x & 0x80) {
      // I: PictureID, 15 bits when M is set
      if (at >= payload.length) return undefined;
      at += payload[at]! & 0x80 ? 2 : 1;
    }
    if (x & 0x40) at += 1; // L: TL0PICIDX
    if (x & 0x30) at += 1; // T or K: TID/Y/KEYIDX
  }
  if (at > payload.length) return undefined;
  return { frameStart: (b0 & 0x10) !== 0 && (b0 & 0x07) === 0, data: payload.subarray(at) };
}

/** RFC 6386 §9.1: the frame tag's P bit is 0 on a key frame. */
export function isVp8Keyframe(frame: Uint8Array): boolean {
  return frame.length >= 3 && (frame[0]! & 0x01) === 0;
}

/** Width and height from a key frame header (RFC 6386 §9.1), or undefined. */
export function vp8Dimensions(frame: Uint8Array): { width: number; height: number } | undefined {
  if (!isVp8Keyframe(frame) || frame.length < 10) return undefined;
  if (frame[3] !== 0x9d || frame[4] !== 0x01 || frame[5] !== 0x2a) return undefined;
  return {
    width: (frame[6]! | (frame[7]! << 8)) & 0x3fff,
    height: (frame[8]! | (frame[9]! << 8)) & 0x3fff,
  };
}

/** Collects packets into frames; emits a frame when its marker packet arrives. */
export class Vp8FrameAssembler {
  #timestamp = -1;
  #parts: Uint8Array[] = [];
  #started = false;

  /** Returns a complete frame (and its RTP timestamp) or undefined. */
  push(
    timestamp: number,
    marker: boolean,
    payload: Uint8Array,
  ): { frame: Uint8Array; timestamp: number } | undefined {
    const p = parseVp8Payload(payload);
    if (p === undefined) return undefined;
    if (timestamp !== this.#timestamp) {
      this.#timestamp = timestamp;
      this.#parts = [];
      this.#started = false;
    }
    if (p.frameStart) {
      this.#parts = [];
      this.#started = true;
    }
    if (!this.#started) return undefined;
    this.#parts.push(p.data.slice());
    if (!marker) return undefined;
    let size = 0;
    for (const part of this.#parts) size += part.length;
    const frame = new Uint8Array(size);
    let at = 0;
    for (const part of this.#parts) {
      frame.set(part, at);
      at += part.length;
    }
    this.#parts = [];
    this.#started = false;
    return { frame, timestamp };
  }
}
