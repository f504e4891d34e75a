export { deriveSecret, hkdfExpandLabel } from './expand-label.js';
export { hkdf, hkdfExpand, hkdfExtract } from './hkdf.js';
export { pHash, tls12Prf } from './tls12-prf.js';
