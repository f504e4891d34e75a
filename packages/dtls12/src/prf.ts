/** RFC 5246 §5 PRF: @x/crypto's implementation, re-exported so this package names it once. */
export { tls12Prf } from '@x/crypto';
