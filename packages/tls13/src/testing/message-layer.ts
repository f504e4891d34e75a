/** A record layer that keeps each handshake message and alert it is given (engine-level tests). */
import type { Direction, EncryptionLevel, HandshakeRecordLayer, KeyMaterial } from '@x/crypto';

export class MessageLayer implements HandshakeRecordLayer {
  readonly messages: { level: EncryptionLevel; data: Uint8Array }[] = [];
  readonly alerts: number[] = [];
  readonly keys: { level: EncryptionLevel; direction: Direction; keys: KeyMaterial }[] = [];

  sendHandshake(level: EncryptionLevel, data: Uint8Array): void {
    this.messages.push({ level, data: data.slice() });
  }

  installKeys(level: EncryptionLevel, direction: Direction, keys: KeyMaterial): void {
    this.keys.push({ level, direction, keys });
  }

  sendAlert(_level: EncryptionLevel, description: number): void {
    this.alerts.push(description);
  }
}
