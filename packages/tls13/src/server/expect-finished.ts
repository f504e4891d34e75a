/** RFC 8446 §4.4.4: the client's Finished; then tickets (§4.6.1) and application data. */
import { checkFinished } from '../auth.js';
import type { Context, State } from '../context.js';
import { resumptionPsk } from '../key-schedule.js';
import { encodeMaxEarlyData } from '../messages/extensions/misc.js';
import { ExtensionType } from '../messages/extensions/types.js';
import type { HandshakeMessage } from '../messages/handshake-type.js';
import { encodeNewSessionTicket } from '../messages/new-session-ticket.js';
import { NO_CONTEXT } from '../tickets.js';
import { ExpectTraffic } from './expect-traffic.js';
import type { ServerData } from './handshake-data.js';

export class ExpectFinished implements State {
  readonly name = 'ExpectFinished';
  readonly #data: ServerData;

  constructor(data: ServerData) {
    this.#data = data;
  }

  handle(cx: Context, msg: HandshakeMessage, now: number): State {
    const data = this.#data;
    checkFinished(cx, msg, data.clientHsSecret!);
    cx.install('application', 'read', cx.clientAppSecret!);
    cx.resumptionMasterSecret = cx.schedule.derive('res master', cx.transcript.current());
    cx.handshakeComplete = true;
    cx.events.handshakeComplete?.();
    sendTickets(cx, data, now);
    return new ExpectTraffic();
  }
}

function sendTickets(cx: Context, data: ServerData, now: number): void {
  const issuer = data.config.tickets;
  if (issuer === undefined) return;
  const maxEarly = data.config.maxEarlyData ?? 0;
  for (let i = 0; i < issuer.count; i++) {
    const nonce = Uint8Array.of(i);
    const rnd = cx.provider.randomBytes(4);
    const ticketAgeAdd = ((rnd[0]! << 24) | (rnd[1]! << 16) | (rnd[2]! << 8) | rnd[3]!) >>> 0;
    const psk = resumptionPsk(cx.provider, cx.suite.hash, cx.resumptionMasterSecret!, nonce);
    const ticket = issuer.seal({
      suite: cx.suite.id,
      psk,
      ticketAgeAdd,
      issuedAt: now,
      lifetime: issuer.lifetime,
      maxEarlyData: maxEarly,
      alpn: cx.negotiated.alpn ?? '',
      earlyDataContext: data.config.earlyDataContext ?? NO_CONTEXT,
    });
    // RFC 9001 §4.6.1: in QUIC max_early_data_size is 0xffffffff when 0-RTT is allowed.
    const extensions =
      maxEarly > 0
        ? [
            {
              type: ExtensionType.early_data,
              data: encodeMaxEarlyData(cx.quic ? 0xffffffff : maxEarly),
            },
          ]
        : [];
    cx.send(
      'application',
      encodeNewSessionTicket({
        ticketLifetime: issuer.lifetime,
        ticketAgeAdd,
        ticketNonce: nonce,
        ticket,
        extensions,
      }),
      false,
    );
  }
}
