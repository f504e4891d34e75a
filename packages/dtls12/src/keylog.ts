import { toHex } from '@x/wire';

/** NSS key log line for TLS 1.2: "CLIENT_RANDOM <client_random hex> <master_secret hex>". */
export function clientRandomLine(clientRandom: Uint8Array, masterSecret: Uint8Array): string {
  return `CLIENT_RANDOM ${toHex(clientRandom)} ${toHex(masterSecret)}`;
}
