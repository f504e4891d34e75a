import { hmacSuite } from './hmac.js';

hmacSuite('hmac_sha256_test.json', 'SHA-256', 174);
