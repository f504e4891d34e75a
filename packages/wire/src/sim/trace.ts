/**
 * The record of a simulated run: every send, drop, delivery, timeout, wake and
 * scheduled call, in the order it happened. Two runs with the same seed produce
 * equal traces; a failing test prints one with formatTrace().
 */
import type { DropCause } from './link.js';

interface Datagram {
  /** Virtual time, ms. */
  readonly t: number;
  /** Datagram number, shared by its send, drop and delivery lines. */
  readonly id: number;
  /** addressKey() of the addresses. */
  readonly from: string;
  readonly to: string;
  readonly size: number;
}

export type TraceEvent =
  | (Datagram & { readonly kind: 'send' | 'inject' })
  | (Datagram & { readonly kind: 'drop'; readonly cause: DropCause })
  | (Datagram & {
      readonly kind: 'deliver';
      readonly duplicate?: true;
      readonly corruptedBit?: number;
    })
  | { readonly t: number; readonly kind: 'timeout' | 'wake'; readonly at: string }
  | { readonly t: number; readonly kind: 'call'; readonly label: string };

/** One line per event, for a failing test's output. */
export function formatTrace(events: readonly TraceEvent[]): string {
  return events.map(formatEvent).join('\n');
}

function formatEvent(e: TraceEvent): string {
  const t = e.t.toFixed(3).padStart(12);
  switch (e.kind) {
    case 'send':
    case 'inject':
    case 'drop':
    case 'deliver': {
      let line = `${t}  ${e.kind.padEnd(7)} #${e.id} ${e.from} -> ${e.to} ${e.size} B`;
      if (e.kind === 'drop') line += ` (${e.cause})`;
      if (e.kind === 'deliver' && e.duplicate) line += ' duplicate';
      if (e.kind === 'deliver' && e.corruptedBit !== undefined)
        line += ` bit ${e.corruptedBit} flipped`;
      return line;
    }
    case 'timeout':
    case 'wake':
      return `${t}  ${e.kind.padEnd(7)} ${e.at}`;
    case 'call':
      return `${t}  call    ${e.label}`;
  }
}
