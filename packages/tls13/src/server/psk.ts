/**
 * RFC 8446 §4.2.11: the server accepts the first offered ticket that its
 * TicketIssuer redeems (single use), whose suite hash matches, and whose
 * binder verifies (decrypt_error otherwise, §4.2.11.2).
 */
import type { Tls13Suite } from '@x/crypto';
import { HASH_LENGTH } from '@x/crypto';
import { tlsError } from '../alerts.js';
import type { Context } from '../context.js';
import { KeySchedule } from '../key-schedule.js';
import { bindersLength, type OfferedPsks } from '../messages/extensions/psk.js';
import type { ServerData } from './handshake-data.js';

export interface AcceptedPsk {
  readonly index: number;
  readonly psk: Uint8Array;
  readonly suite: Tls13Suite;
  readonly maxEarlyData: number;
  readonly alpn: string;
  readonly earlyDataContext: Uint8Array;
  /**
   * §8.3: how far the client's idea of the ticket's age (ms) is from ours. 0-RTT
   * replayed later than that, or with a ticket from elsewhere, shows up here.
   */
  readonly ageSkew: number;
}

/** §8.3: 0-RTT is refused when the ticket age is further off than this (ms). */
export const MAX_TICKET_AGE_SKEW = 10_000;

export function checkPsk(
  cx: Context,
  data: ServerData,
  offered: OfferedPsks,
  rawClientHello: Uint8Array,
  chosen: Tls13Suite,
  _alpn: string | undefined,
  now: number,
): AcceptedPsk | undefined {
  const issuer = data.config.tickets!;
  for (let i = 0; i < offered.identities.length; i++) {
    const state = issuer.redeem(offered.identities[i]!.identity, now);
    if (state === undefined) continue;
    const suite = data.suites.find((s) => s.id === state.suite);
    // §4.2.11: the PSK's hash must match the suite we negotiate.
    if (suite === undefined || suite.hash !== chosen.hash) continue;
    const hashLen = HASH_LENGTH[suite.hash];
    const truncated = rawClientHello.subarray(
      0,
      rawClientHello.length - bindersLength(offered.binders.map((b) => b.length)),
    );
    const schedule = new KeySchedule(cx.provider, suite.hash, state.psk);
    const hash =
      data.retry === undefined
        ? cx.provider.hash(suite.hash, truncated)
        : cx.transcript.hashWith(truncated);
    const binder = offered.binders[i]!;
    if (
      binder.length !== hashLen ||
      !schedule.checkVerifyData(schedule.binderKey(false), hash, binder)
    ) {
      throw tlsError('decrypt_error', 'PSK binder does not verify');
    }
    // §4.2.11.1: obfuscated_ticket_age = (age + ticket_age_add) mod 2^32.
    const clientAge = (offered.identities[i]!.obfuscatedTicketAge - state.ticketAgeAdd) >>> 0;
    return {
      index: i,
      psk: state.psk,
      suite,
      maxEarlyData: state.maxEarlyData,
      alpn: state.alpn,
      earlyDataContext: state.earlyDataContext,
      ageSkew: Math.abs(clientAge - (now - state.issuedAt)),
    };
  }
  return undefined;
}
