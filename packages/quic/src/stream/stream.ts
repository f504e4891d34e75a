import { ReceiveWindow, SendCredit } from './flow-control.js';
import { ReceiveBuffer } from './receive-buffer.js';
import { SendBuffer } from './send-buffer.js';

/**
 * One stream's state inside a connection (RFC 9000 §2-§4): the sending part
 * (a SendBuffer under the peer's MAX_STREAM_DATA) and the receiving part (a
 * ReceiveBuffer under our window). A unidirectional stream has only one part.
 */
export class StreamState {
  readonly id: number;
  readonly send: SendBuffer | undefined;
  readonly recv: ReceiveBuffer | undefined;
  readonly sendCredit: SendCredit;
  readonly recvWindow: ReceiveWindow;
  /** RESET_STREAM we sent (§3.1 "Reset Sent"): code and final size. */
  resetSent: { code: number; finalSize: number; acked: boolean } | undefined;
  /** The peer reset its sending part (§3.2 "Reset Recvd"). */
  resetReceived: number | undefined;
  /** The peer asked us to stop sending. */
  stopSendingReceived: number | undefined;
  /** The application read the FIN (or saw the reset). */
  finRead = false;
  /** One past the highest offset ever sent (new data counts against flow control once). */
  highestSent = 0;

  constructor(
    id: number,
    parts: { send: boolean; recv: boolean },
    sendLimit: number,
    recvWindow: number,
    maxRecvWindow: number,
  ) {
    this.id = id;
    this.send = parts.send ? new SendBuffer() : undefined;
    this.recv = parts.recv ? new ReceiveBuffer() : undefined;
    this.sendCredit = new SendCredit(sendLimit);
    this.recvWindow = new ReceiveWindow(recvWindow, maxRecvWindow);
  }

  /** Whether stream data (or a FIN) is waiting and allowed by the stream's credit. */
  get wantsToSend(): boolean {
    const s = this.send;
    if (s === undefined || this.resetSent !== undefined) return false;
    return s.hasPending;
  }

  /** §3: both parts reached a terminal state the application has seen. */
  get finished(): boolean {
    const sendDone =
      this.send === undefined || this.send.allAcked || this.resetSent?.acked === true;
    const recvDone = this.recv === undefined || this.finRead;
    return sendDone && recvDone;
  }
}
