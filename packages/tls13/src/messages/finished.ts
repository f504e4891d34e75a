/** RFC 8446 §4.4.4 Finished: verify_data of Hash.length bytes (the length is checked by the state). */
import { encodeHandshake, HandshakeType } from './handshake-type.js';

export const encodeFinished = (verifyData: Uint8Array): Uint8Array =>
  encodeHandshake(HandshakeType.finished, verifyData);
