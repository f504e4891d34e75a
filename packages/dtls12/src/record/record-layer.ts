import type { RecordProtector } from '@x/crypto';
import { Epoch, nonceSequence, writeAdditionalData } from './epoch.js';
import { DTLS1_2, type DtlsRecord, RECORD_HEADER_LENGTH, writeRecordHeader } from './record.js';

/**
 * The DTLS record layer of one connection: the epochs it reads and writes,
 * sealing/opening with the epoch's RecordProtector, and packing records into
 * datagrams no larger than the MTU (RFC 6347 §4.1.1: records never span datagrams).
 */
export class RecordLayer {
  readonly #read = new Map<number, Epoch>([[0, new Epoch(0)]]);
  #write: Epoch;
  readonly #epochs = new Map<number, Epoch>();
  readonly #aad = new Uint8Array(13);
  readonly mtu: number;
  /** Datagrams ready to leave, oldest first. */
  readonly outgoing: Uint8Array[] = [];
  /** Records of the datagram being filled. */
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;

  constructor(mtu: number) {
    this.mtu = mtu;
    this.#write = new Epoch(0);
    this.#epochs.set(0, this.#write);
  }

  get writeEpoch(): number {
    return this.#write.epoch;
  }

  hasReadEpoch(epoch: number): boolean {
    return this.#read.has(epoch);
  }

  /** Installs the read side of `epoch` (RFC 6347 §4.1: keys selected by the record's epoch). */
  installRead(epoch: number, protector: RecordProtector): void {
    this.#read.set(epoch, new Epoch(epoch, protector, undefined));
  }

  /** Prepares the write side of `epoch`; it takes effect with switchWrite (after ChangeCipherSpec). */
  installWrite(epoch: number, protector: RecordProtector): void {
    this.#epochs.set(epoch, new Epoch(epoch, undefined, protector));
  }

  /**
   * RFC 6347 §4.2.1: the server's first records continue from the
   * ClientHello's record sequence number (the HelloVerifyRequest reused it),
   * so the client never sees a sequence number twice in epoch 0.
   */
  advanceWriteSequence(epoch: number, next: number): void {
    const e = this.#epochs.get(epoch);
    if (e !== undefined && next > e.nextSequence) e.nextSequence = next;
  }

  /** Per-record bytes a write in `epoch` adds to its plaintext (header + AEAD). */
  overhead(epoch: number): number {
    const e = this.#epochs.get(epoch);
    return RECORD_HEADER_LENGTH + (e?.writer?.overhead ?? 0);
  }

  /**
   * Opens a record: null when the epoch is unknown, the sequence number
   * replays (§4.1.2.6) or the record does not authenticate (§4.1.2.7: dropped
   * silently). The replay window moves only for authentic records.
   */
  open(record: DtlsRecord): Uint8Array | null {
    const e = this.#read.get(record.epoch);
    if (e === undefined) return null;
    // Epoch 0 has no integrity: anyone can forge any record, so a replay window adds no protection
    // there, and a forged or damaged sequence number far ahead would shut out every genuine record
    // that follows. Duplicates in epoch 0 are handshake fragments, which reassembly already ignores.
    if (e.reader === undefined) return record.fragment;
    if (!e.replay.check(record.sequenceNumber)) return null;
    let plaintext: Uint8Array | null = record.fragment;
    if (e.reader !== undefined) {
      const length = record.fragment.length - e.reader.overhead;
      if (length < 0) return null;
      const aad = writeAdditionalData(
        this.#aad,
        record.epoch,
        record.sequenceNumber,
        record.type,
        record.version,
        length,
      );
      plaintext = e.reader.open(
        nonceSequence(record.epoch, record.sequenceNumber),
        aad,
        record.fragment,
      );
      if (plaintext === null) return null;
    }
    e.replay.accept(record.sequenceNumber);
    return plaintext;
  }

  /** Room for plaintext in the datagram being filled, at `epoch`; 0 when a new datagram is needed. */
  roomInDatagram(epoch: number): number {
    return Math.max(0, this.mtu - this.#pendingBytes - this.overhead(epoch));
  }

  /** Room for plaintext in an empty datagram at `epoch`. */
  roomInEmptyDatagram(epoch: number): number {
    return this.mtu - this.overhead(epoch);
  }

  /** Seals one record at `epoch` (0 = plaintext) and appends it to the datagram being filled. */
  writeRecord(type: number, epoch: number, plaintext: Uint8Array): void {
    const e = this.#epochs.get(epoch);
    if (e === undefined) throw new RangeError(`no write keys for epoch ${epoch}`);
    const seq = e.takeSequence();
    let body = plaintext;
    if (e.writer !== undefined) {
      const aad = writeAdditionalData(this.#aad, epoch, seq, type, DTLS1_2, plaintext.length);
      body = e.writer.seal(nonceSequence(epoch, seq), aad, plaintext);
    }
    const size = RECORD_HEADER_LENGTH + body.length;
    if (this.#pendingBytes > 0 && this.#pendingBytes + size > this.mtu) this.flushDatagram();
    const rec = new Uint8Array(size);
    writeRecordHeader(rec, 0, type, DTLS1_2, epoch, seq, body.length);
    rec.set(body, RECORD_HEADER_LENGTH);
    this.#pending.push(rec);
    this.#pendingBytes += size;
  }

  /** Closes the datagram being filled (no-op when empty). */
  flushDatagram(): void {
    if (this.#pending.length === 0) return;
    if (this.#pending.length === 1) {
      this.outgoing.push(this.#pending[0]!);
    } else {
      const d = new Uint8Array(this.#pendingBytes);
      let o = 0;
      for (const r of this.#pending) {
        d.set(r, o);
        o += r.length;
      }
      this.outgoing.push(d);
    }
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  /** Writes from now on use `epoch` (after our ChangeCipherSpec). */
  switchWrite(epoch: number): void {
    const e = this.#epochs.get(epoch);
    if (e === undefined) throw new RangeError(`no write keys for epoch ${epoch}`);
    this.#write = e;
  }
}
