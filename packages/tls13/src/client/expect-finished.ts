/**
 * RFC 8446 §4.4.4: the server's Finished; then the client's second flight
 * (Certificate and CertificateVerify when asked, Finished) and the switch to
 * application keys.
 */
import {
  certificateMessage,
  certificateVerifyMessage,
  checkFinished,
  deriveApplicationSecrets,
} from '../auth.js';
import type { Context, State } from '../context.js';
import { encodeEndOfEarlyData } from '../messages/end-of-early-data.js';
import { encodeFinished } from '../messages/finished.js';
import type { HandshakeMessage } from '../messages/handshake-type.js';
import { ExpectTraffic } from './expect-traffic.js';
import type { ClientData } from './handshake-data.js';

export class ExpectFinished implements State {
  readonly name = 'ExpectFinished';
  readonly #data: ClientData;

  constructor(data: ClientData) {
    this.#data = data;
  }

  handle(cx: Context, msg: HandshakeMessage): State {
    const data = this.#data;
    checkFinished(cx, msg, data.serverHsSecret!);
    deriveApplicationSecrets(cx);
    cx.install('application', 'read', cx.serverAppSecret!);
    if (data.earlyDataOffered && !cx.quic) {
      // §4.5: after the server Finished, EndOfEarlyData closes accepted 0-RTT under the early keys.
      if (cx.negotiated.earlyDataAccepted) cx.send('early', encodeEndOfEarlyData());
      cx.install('handshake', 'write', data.clientHsSecret!);
    }

    if (data.certificateRequested) {
      const config = data.config;
      const chain = config.certificateChain ?? [];
      const key = config.privateKey;
      // §4.4.2: without a suitable certificate the client sends an empty Certificate.
      const usable = chain.length > 0 && key !== undefined;
      cx.send(
        'handshake',
        certificateMessage(
          data.certificateRequestContext ?? new Uint8Array(0),
          usable ? chain : [],
        ),
      );
      if (usable)
        cx.send('handshake', certificateVerifyMessage(cx, key, data.requestSchemes ?? [], false));
    }
    const schedule = cx.schedule;
    cx.send(
      'handshake',
      encodeFinished(schedule.verifyData(data.clientHsSecret!, cx.transcript.current())),
    );
    cx.install('application', 'write', cx.clientAppSecret!);
    cx.resumptionMasterSecret = schedule.derive('res master', cx.transcript.current());
    cx.handshakeComplete = true;
    cx.events.handshakeComplete?.();
    return new ExpectTraffic(data);
  }
}
