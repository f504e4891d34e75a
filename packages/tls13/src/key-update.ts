/** RFC 8446 §4.6.3 KeyUpdate handling, shared by both roles (TCP only). */
import type { Context } from './context.js';
import { updateReadKeys, updateWriteKeys } from './engine.js';
import type { HandshakeMessage } from './messages/handshake-type.js';
import { decodeKeyUpdate, encodeKeyUpdate } from './messages/key-update.js';

/** Update our read keys; when asked, answer with our own KeyUpdate and update our write keys. */
export function handleKeyUpdate(cx: Context, msg: HandshakeMessage): void {
  const requested = decodeKeyUpdate(msg.body);
  updateReadKeys(cx);
  if (requested) {
    cx.send('application', encodeKeyUpdate(false), false);
    updateWriteKeys(cx);
  }
  cx.events.keyUpdated?.('read');
}
