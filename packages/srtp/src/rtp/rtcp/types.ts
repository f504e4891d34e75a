/** RTCP packet types (RFC 3550 §12.1, RFC 4585 §6.1). */
export const RTCP_PT = {
  SR: 200,
  RR: 201,
  SDES: 202,
  BYE: 203,
  APP: 204,
  RTPFB: 205,
  PSFB: 206,
} as const;

/** A reception report block (RFC 3550 §6.4.1). */
export interface ReportBlock {
  readonly ssrc: number;
  /** Fraction lost since the previous report, in 1/256 units. */
  readonly fractionLost: number;
  /** Cumulative number of packets lost: signed 24 bits (duplicates can make it negative). */
  readonly packetsLost: number;
  readonly highestSequence: number;
  readonly jitter: number;
  readonly lastSenderReport: number;
  readonly delaySinceLastSenderReport: number;
}

export interface SenderReport {
  readonly type: 'sr';
  readonly ssrc: number;
  /** 64-bit NTP timestamp (RFC 3550 §4). */
  readonly ntpTimestamp: bigint;
  readonly rtpTimestamp: number;
  readonly packetCount: number;
  readonly octetCount: number;
  readonly reports: readonly ReportBlock[];
  /** Profile-specific extension after the report blocks (usually empty). */
  readonly profileExtension: Uint8Array;
}

export interface ReceiverReport {
  readonly type: 'rr';
  readonly ssrc: number;
  readonly reports: readonly ReportBlock[];
  readonly profileExtension: Uint8Array;
}

/** SDES item types (RFC 3550 §6.5): 1 CNAME, 2 NAME, ... 8 PRIV. */
export interface SdesItem {
  readonly type: number;
  readonly value: Uint8Array;
}

export interface SdesChunk {
  readonly ssrc: number;
  readonly items: readonly SdesItem[];
}

export interface SourceDescription {
  readonly type: 'sdes';
  readonly chunks: readonly SdesChunk[];
}

export interface Goodbye {
  readonly type: 'bye';
  readonly ssrcs: readonly number[];
  readonly reason?: Uint8Array;
}

/** Generic NACK entry (RFC 4585 §6.2.1): a lost packet ID and a bitmask of the 16 after it. */
export interface NackEntry {
  readonly packetId: number;
  readonly lostBitmask: number;
}

/** Transport-wide congestion control feedback header (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1). */
export interface TransportCcHeader {
  readonly baseSequence: number;
  readonly packetStatusCount: number;
  /** Signed 24-bit multiple of 64 ms. */
  readonly referenceTime: number;
  readonly feedbackPacketCount: number;
}

/** Transport-layer feedback (PT 205, RFC 4585 §6.2): FMT 1 Generic NACK, FMT 15 transport-cc. */
export interface RtpFeedback {
  readonly type: 'rtpfb';
  readonly fmt: number;
  readonly senderSsrc: number;
  readonly mediaSsrc: number;
  /** Feedback control information, as carried. */
  readonly fci: Uint8Array;
  readonly nack?: readonly NackEntry[];
  readonly transportCc?: TransportCcHeader;
}

/** Full intra request entry (RFC 5104 §4.3.1). */
export interface FirEntry {
  readonly ssrc: number;
  readonly sequence: number;
}

/** Receiver estimated maximum bitrate (draft-alvestrand-rmcat-remb-03 §2.2). */
export interface Remb {
  readonly bitrate: number;
  readonly ssrcs: readonly number[];
}

/** Payload-specific feedback (PT 206): FMT 1 PLI, FMT 4 FIR, FMT 15 application layer (REMB). */
export interface PayloadFeedback {
  readonly type: 'psfb';
  readonly fmt: number;
  readonly senderSsrc: number;
  readonly mediaSsrc: number;
  readonly fci: Uint8Array;
  readonly pli?: true;
  readonly fir?: readonly FirEntry[];
  readonly remb?: Remb;
}

/** Any other packet type (APP, XR, ...), kept as carried. */
export interface OtherRtcp {
  readonly type: 'other';
  readonly packetType: number;
  /** The 5-bit count / subtype field. */
  readonly count: number;
  /** Everything after the 4-byte header, without padding. */
  readonly body: Uint8Array;
}

export type RtcpPacket =
  | SenderReport
  | ReceiverReport
  | SourceDescription
  | Goodbye
  | RtpFeedback
  | PayloadFeedback
  | OtherRtcp;
