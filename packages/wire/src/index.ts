export { concatBytes, constantTimeEqual, equalBytes, utf8 } from './bytes.js';
export {
  type AddressFamily,
  addressKey,
  type DatagramEndpoint,
  familyOf,
  type IncomingDatagram,
  type OutgoingDatagram,
  type SocketAddress,
} from './endpoint/contract.js';
export {
  type BindOptions,
  bindEndpoint,
  type DriverErrorSource,
  type EndpointHandle,
} from './endpoint/node-driver.js';
export { DecodeError, EncodeError } from './errors.js';
export { fromHex, toHex } from './hex.js';
export { Reader } from './reader.js';
export {
  type DropCause,
  type DropContext,
  IDEAL_LINK,
  type LinkConditions,
  type LinkStats,
} from './sim/link.js';
export {
  type InjectOptions,
  type RunOptions,
  type RunResult,
  SimNetwork,
  type SimNetworkOptions,
} from './sim/network.js';
export { Rng } from './sim/rng.js';
export { formatTrace, type TraceEvent } from './sim/trace.js';
export { VARINT_MAX, VARINT_MAX_SAFE, type VarintLength, varintLength } from './varint.js';
export { Writer } from './writer.js';
