/** RFC 8446 §4.6: post-handshake messages the client accepts: NewSessionTicket and KeyUpdate. */
import { tlsError } from '../alerts.js';
import type { Context, State } from '../context.js';
import { resumptionPsk } from '../key-schedule.js';
import { handleKeyUpdate } from '../key-update.js';
import { decodeMaxEarlyData } from '../messages/extensions/misc.js';
import { ExtensionType, findExtension } from '../messages/extensions/types.js';
import { type HandshakeMessage, HandshakeType } from '../messages/handshake-type.js';
import { decodeNewSessionTicket } from '../messages/new-session-ticket.js';
import type { SessionTicket } from '../tickets.js';
import type { ClientData } from './handshake-data.js';

export class ExpectTraffic implements State {
  readonly name = 'ExpectTraffic';
  readonly #data: ClientData;

  constructor(data: ClientData) {
    this.#data = data;
  }

  handle(cx: Context, msg: HandshakeMessage, now: number): State {
    if (msg.type === HandshakeType.new_session_ticket) {
      const t = decodeNewSessionTicket(msg.body);
      const ed = findExtension(t.extensions, ExtensionType.early_data);
      const ticket: SessionTicket = {
        suite: cx.suite.id,
        ticket: t.ticket.slice(),
        psk: resumptionPsk(cx.provider, cx.suite.hash, cx.resumptionMasterSecret!, t.ticketNonce),
        ticketAgeAdd: t.ticketAgeAdd,
        lifetime: t.ticketLifetime,
        receivedAt: now,
        maxEarlyData: ed === undefined ? 0 : decodeMaxEarlyData(ed),
        alpn: cx.negotiated.alpn,
        serverName: this.#data.config.serverName,
      };
      cx.events.sessionTicket?.(ticket);
      this.#data.config.onSessionTicket?.(ticket);
      return this;
    }
    if (msg.type === HandshakeType.key_update && !cx.quic) {
      handleKeyUpdate(cx, msg);
      return this;
    }
    // RFC 9001 §6: a KeyUpdate message in QUIC is unexpected_message.
    throw tlsError('unexpected_message', `unexpected post-handshake message type ${msg.type}`);
  }
}
