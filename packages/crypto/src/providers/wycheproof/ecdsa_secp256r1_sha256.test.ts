import { ecdsaSuite } from './ecdsa.js';

ecdsaSuite('ecdsa_secp256r1_sha256_test.json', 'P-256', 'SHA-256', 484);
