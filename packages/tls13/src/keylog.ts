/**
 * NSS key log lines (the SSLKEYLOGFILE format Wireshark and tshark read):
 * `<LABEL> <client_random hex> <secret hex>`, one line per secret.
 */
import { toHex } from '@x/wire';

export type KeyLogLabel =
  | 'CLIENT_EARLY_TRAFFIC_SECRET'
  | 'EARLY_EXPORTER_SECRET'
  | 'CLIENT_HANDSHAKE_TRAFFIC_SECRET'
  | 'SERVER_HANDSHAKE_TRAFFIC_SECRET'
  | `CLIENT_TRAFFIC_SECRET_${number}`
  | `SERVER_TRAFFIC_SECRET_${number}`
  | 'EXPORTER_SECRET';

/** Receives each key log line (without a newline); e.g. append it to a file. */
export type KeyLogSink = (line: string) => void;

export function keyLogLine(
  label: KeyLogLabel,
  clientRandom: Uint8Array,
  secret: Uint8Array,
): string {
  return `${label} ${toHex(clientRandom)} ${toHex(secret)}`;
}

/** Parses a key log file's text into label → client random → secret (tests compare logs). */
export function parseKeyLog(text: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z_0-9]+) ([0-9a-f]{64}) ([0-9a-f]+)$/i.exec(line.trim());
    if (!m) continue;
    const byRandom = out.get(m[1]!) ?? new Map<string, string>();
    byRandom.set(m[2]!.toLowerCase(), m[3]!.toLowerCase());
    out.set(m[1]!, byRandom);
  }
  return out;
}
