import type { Certificate, EcdheGroup, KeyPair, Tls12Suite } from '@x/crypto';
import type { ResolvedOptions } from '../config.js';
import { Transcript } from '../transcript.js';
import { encodeHandshakeMessage } from './messages/handshake-header.js';

/** One entry of a flight, kept so the whole flight can be re-fragmented and resent (RFC 6347 §4.2.4). */
export type FlightMessage =
  | {
      readonly kind: 'handshake';
      readonly epoch: number;
      readonly msgType: number;
      readonly messageSeq: number;
      readonly body: Uint8Array;
    }
  | { readonly kind: 'change_cipher_spec'; readonly epoch: number };

/** Everything both sides learn during one handshake; the flight modules read and fill it. */
export class HandshakeContext {
  readonly role: 'client' | 'server';
  readonly options: ResolvedOptions;
  readonly transcript = new Transcript();
  clientRandom: Uint8Array = new Uint8Array(32);
  serverRandom: Uint8Array = new Uint8Array(32);
  /** Server-chosen; echoed back empty (no resumption). */
  sessionId: Uint8Array = new Uint8Array(0);
  cookie: Uint8Array = new Uint8Array(0);
  suite: Tls12Suite | undefined;
  group: EcdheGroup | undefined;
  keyPair: KeyPair | undefined;
  peerPublicKey: Uint8Array | undefined;
  srtpProfile: number | undefined;
  srtpMki: Uint8Array = new Uint8Array(0);
  extendedMasterSecret = false;
  /** Whether the peer supports RFC 5746 (extension or SCSV). */
  secureRenegotiation = false;
  masterSecret: Uint8Array | undefined;
  peerChain: readonly Uint8Array[] = [];
  peerLeaf: Certificate | undefined;
  /** Server: the client's CertificateVerify checked out. */
  peerVerified = false;
  /** Client: the server sent CertificateRequest; its acceptable schemes. */
  certificateRequestSchemes: readonly number[] | undefined;
  /** Next message_seq we send (RFC 6347 §4.2.2). */
  nextSendSeq = 0;

  constructor(role: 'client' | 'server', options: ResolvedOptions) {
    this.role = role;
    this.options = options;
  }

  get provider() {
    return this.options.provider;
  }

  /** Adds a received message to the transcript, in its unfragmented form (RFC 6347 §4.2.6). */
  recordReceived(msgType: number, messageSeq: number, body: Uint8Array): void {
    this.transcript.add(encodeHandshakeMessage(msgType, messageSeq, body));
  }

  /** A handshake message for the flight; it also enters the transcript when `record` is set. */
  message(msgType: number, body: Uint8Array, epoch = 0, record = true): FlightMessage {
    const messageSeq = this.nextSendSeq++;
    if (record) this.transcript.add(encodeHandshakeMessage(msgType, messageSeq, body));
    return { kind: 'handshake', epoch, msgType, messageSeq, body };
  }
}
