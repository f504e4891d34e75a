import { hmacSuite } from './hmac.js';

hmacSuite('hmac_sha1_test.json', 'SHA-1', 170);
