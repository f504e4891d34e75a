import { ecdsaSuite } from './ecdsa.js';

ecdsaSuite('ecdsa_secp384r1_sha384_test.json', 'P-384', 'SHA-384', 504);
