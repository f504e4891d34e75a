/**
 * `serve --record DIR`: writes each call's received VP8 as `<call>.ivf` and
 * Opus as `<call>.ogg`. The IVF starts at the first key frame (RFC 6386
 * §9.1), so a player can decode it from the start.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseRtpPacket } from '@x/srtp';
import type { AcceptedMedia } from '../sdp/negotiate.js';
import { encodeIvfFrameHeader, encodeIvfHeader } from './ivf.js';
import { OGG_BOS, OGG_EOS, oggPage, opusHead, opusPacketSamples, opusTags } from './ogg.js';
import { isVp8Keyframe, Vp8FrameAssembler, vp8Dimensions } from './vp8.js';

class IvfWriter {
  readonly #fd: number;
  readonly #assembler = new Vp8FrameAssembler();
  #frames = 0;
  #width = 0;
  #height = 0;
  #firstTs: number | undefined;

  constructor(path: string) {
    this.#fd = openSync(path, 'w');
    writeSync(this.#fd, encodeIvfHeader(this.#header()));
  }

  #header() {
    return {
      fourcc: 'VP80',
      width: this.#width,
      height: this.#height,
      timebaseDenominator: 90000,
      timebaseNumerator: 1,
      frameCount: this.#frames,
    };
  }

  push(timestamp: number, marker: boolean, payload: Uint8Array): void {
    const f = this.#assembler.push(timestamp, marker, payload);
    if (f === undefined) return;
    if (this.#firstTs === undefined) {
      if (!isVp8Keyframe(f.frame)) return; // wait for a key frame
      this.#firstTs = f.timestamp;
      const d = vp8Dimensions(f.frame);
      if (d) {
        this.#width = d.width;
        this.#height = d.height;
      }
    }
    const pts = (f.timestamp - this.#firstTs) >>> 0;
    writeSync(this.#fd, encodeIvfFrameHeader(f.frame.length, pts));
    writeSync(this.#fd, f.frame);
    this.#frames++;
  }

  close(): void {
    writeSync(this.#fd, encodeIvfHeader(this.#header()), 0, 32, 0);
    closeSync(this.#fd);
  }
}

class OggOpusWriter {
  readonly #fd: number;
  readonly #serial: number;
  #sequence = 0;
  #granule = 0n;
  #last: Uint8Array | undefined;

  constructor(path: string) {
    this.#fd = openSync(path, 'w');
    this.#serial = (Math.random() * 2 ** 32) >>> 0;
    writeSync(this.#fd, oggPage(opusHead(), 0n, this.#serial, this.#sequence++, OGG_BOS));
    writeSync(this.#fd, oggPage(opusTags(), 0n, this.#serial, this.#sequence++, 0));
  }

  /** Pages are written one packet behind so the last one can carry EOS. */
  push(payload: Uint8Array): void {
    if (this.#last) this.#write(this.#last, 0);
    this.#last = payload.slice();
  }

  #write(packet: Uint8Array, flags: number): void {
    this.#granule += BigInt(opusPacketSamples(packet));
    writeSync(this.#fd, oggPage(packet, this.#granule, this.#serial, this.#sequence++, flags));
  }

  close(): void {
    if (this.#last) this.#write(this.#last, OGG_EOS);
    closeSync(this.#fd);
  }
}

export class Recorder {
  readonly #dir: string;
  readonly #files = new Map<string, { ivf?: IvfWriter; ogg?: OggOpusWriter }>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** A decrypted RTP packet of `call` (before the echo rewrites it). */
  rtp(call: string, media: AcceptedMedia, packet: Uint8Array): void {
    let p: ReturnType<typeof parseRtpPacket>;
    try {
      p = parseRtpPacket(packet);
    } catch {
      return;
    }
    const files = this.#files.get(call) ?? {};
    this.#files.set(call, files);
    const pt = p.header.payloadType;
    if (
      media.kind === 'video' &&
      media.codec.name.toUpperCase() === 'VP8' &&
      pt === media.codec.payloadType
    ) {
      files.ivf ??= new IvfWriter(join(this.#dir, `${call}.ivf`));
      files.ivf.push(p.header.timestamp, p.header.marker, p.payload);
    } else if (media.kind === 'audio' && pt === media.codec.payloadType && p.payload.length > 0) {
      files.ogg ??= new OggOpusWriter(join(this.#dir, `${call}.ogg`));
      files.ogg.push(p.payload);
    }
  }

  close(call: string): void {
    const f = this.#files.get(call);
    if (!f) return;
    this.#files.delete(call);
    f.ivf?.close();
    f.ogg?.close();
  }

  closeAll(): void {
    for (const call of [...this.#files.keys()]) this.close(call);
  }
}
