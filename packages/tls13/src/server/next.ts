/** Which message the server waits for after its flight. */
import type { Context, State } from '../context.js';
import { ExpectCertificate } from './expect-certificate.js';
import { ExpectEndOfEarlyData } from './expect-end-of-early-data.js';
import { ExpectFinished } from './expect-finished.js';
import type { ServerData } from './handshake-data.js';

export function nextAfterFlight(cx: Context, data: ServerData): State {
  // RFC 9001 §8.3: QUIC has no EndOfEarlyData.
  if (cx.negotiated.earlyDataAccepted && !cx.quic) return new ExpectEndOfEarlyData(data);
  return afterEarlyData(data);
}

export function afterEarlyData(data: ServerData): State {
  return data.certificateRequested ? new ExpectCertificate(data) : new ExpectFinished(data);
}
