/** RFC 8446 §6 Alert record body: level, description. */
import { Reader } from '@x/wire';

export interface AlertMessage {
  readonly level: number;
  readonly description: number;
}

export function decodeAlert(body: Uint8Array): AlertMessage {
  const r = new Reader(body);
  const level = r.u8('AlertLevel');
  const description = r.u8('AlertDescription');
  r.expectEnd('end of Alert');
  return { level, description };
}

export const encodeAlert = (a: AlertMessage): Uint8Array => Uint8Array.of(a.level, a.description);
