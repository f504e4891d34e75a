/** Counters per call, served as JSON by /stats. Plain numbers: cheap to bump on the hot path. */
export interface CallStats {
  stunChecks: number;
  stunErrors: number;
  dtlsRecordsIn: number;
  rtpDecrypted: number;
  rtcpDecrypted: number;
  rtpEchoed: number;
  rtcpEchoed: number;
  /** SRTP/SRTCP packets whose authentication tag did not verify. */
  authFailures: number;
  /** Replayed or too-old packets and other SRTP refusals (not authentication). */
  srtpDropped: number;
  /** RTP from an SSRC we could not pair with a stream of ours. */
  unknownSsrc: number;
  bytesIn: number;
  bytesOut: number;
  /** Echoed video packets dropped on purpose (`echoDropEvery`). */
  echoDropped: number;
  /** PLI / FIR / NACK packets relayed from the echo's receiver to the sender. */
  feedbackRelayed: number;
}

export function newCallStats(): CallStats {
  return {
    stunChecks: 0,
    stunErrors: 0,
    dtlsRecordsIn: 0,
    rtpDecrypted: 0,
    rtcpDecrypted: 0,
    rtpEchoed: 0,
    rtcpEchoed: 0,
    authFailures: 0,
    srtpDropped: 0,
    unknownSsrc: 0,
    bytesIn: 0,
    bytesOut: 0,
    feedbackRelayed: 0,
    echoDropped: 0,
  };
}
