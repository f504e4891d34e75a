/*
 * libsrtp interop and benchmark harness for @x/srtp's tests and bench.
 *
 *   srtp-harness protect|unprotect|protect_rtcp|unprotect_rtcp <profile> <key hex> <salt hex> [<MKI hex>]
 *       Reads one packet per line as hex on stdin and writes the result as hex,
 *       one line each, or "error <srtp_err_status_t>" for a packet libsrtp
 *       rejects. One libsrtp session serves all lines, so ROC, SRTCP index and
 *       replay state carry across lines like a real session.
 *
 *   srtp-harness bench <profile> <key hex> <salt hex> <packet bytes> <ms per sample> <samples> [protect|unprotect]
 *       Prints "protect <packets/s> ..." and "unprotect <packets/s> ..." lines,
 *       one number per sample, for RTP packets of the given size (only the
 *       named operation gets samples when one is given).
 *
 * <profile> is the DTLS-SRTP code point: 1 (AES128_CM_HMAC_SHA1_80),
 * 2 (AES128_CM_HMAC_SHA1_32), 7 (AEAD_AES_128_GCM), 8 (AEAD_AES_256_GCM), or
 * 256 for RFC 6188 AES_256_CM_HMAC_SHA1_80 (no DTLS-SRTP code point).
 */
#include <srtp2/srtp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_PACKET 65536

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decodes hex into out; returns the byte count or -1. */
static int unhex(const char *s, uint8_t *out, int cap) {
  int n = 0;
  while (*s && *s != '\n' && *s != '\r') {
    int hi = hexval(s[0]);
    int lo = s[1] ? hexval(s[1]) : -1;
    if (hi < 0 || lo < 0 || n >= cap) return -1;
    out[n++] = (uint8_t)(hi << 4 | lo);
    s += 2;
  }
  return n;
}

static void puthex(const uint8_t *b, int n) {
  static const char *digits = "0123456789abcdef";
  for (int i = 0; i < n; i++) {
    putchar(digits[b[i] >> 4]);
    putchar(digits[b[i] & 15]);
  }
  putchar('\n');
}

static int set_profile(int profile, srtp_policy_t *p, int *key_len, int *salt_len) {
  switch (profile) {
  case 1:
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p->rtp);
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p->rtcp);
    *key_len = 16, *salt_len = 14;
    return 0;
  case 2:
    /* RFC 5764 §4.1.2: SRTCP keeps the 80-bit tag under the _32 profile. */
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&p->rtp);
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p->rtcp);
    *key_len = 16, *salt_len = 14;
    return 0;
  case 256:
    /* Not a DTLS-SRTP code point: RFC 6188 AES_256_CM_HMAC_SHA1_80, which the
       tests register as a user profile to prove the registry's extension point. */
    srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&p->rtp);
    srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&p->rtcp);
    *key_len = 32, *salt_len = 14;
    return 0;
  case 7:
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&p->rtp);
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&p->rtcp);
    *key_len = 16, *salt_len = 12;
    return 0;
  case 8:
    srtp_crypto_policy_set_aes_gcm_256_16_auth(&p->rtp);
    srtp_crypto_policy_set_aes_gcm_256_16_auth(&p->rtcp);
    *key_len = 32, *salt_len = 12;
    return 0;
  }
  return -1;
}

static uint8_t master[64];
static uint8_t mki_id[16];
static srtp_master_key_t master_key = {master, mki_id, 0};
static srtp_master_key_t *master_keys[1] = {&master_key};

/* mki_hex: NULL for no MKI, else the MKI libsrtp sends and expects (RFC 3711 §3.1). */
static srtp_t make_session(int profile, const char *key_hex, const char *salt_hex, int inbound,
                           const char *mki_hex) {
  srtp_policy_t policy;
  memset(&policy, 0, sizeof policy);
  int key_len, salt_len;
  if (set_profile(profile, &policy, &key_len, &salt_len) != 0) {
    fprintf(stderr, "unknown profile %d\n", profile);
    exit(2);
  }
  if (unhex(key_hex, master, key_len) != key_len ||
      unhex(salt_hex, master + key_len, salt_len) != salt_len) {
    fprintf(stderr, "profile %d needs a %d-byte key and a %d-byte salt\n", profile, key_len,
            salt_len);
    exit(2);
  }
  policy.ssrc.type = inbound ? ssrc_any_inbound : ssrc_any_outbound;
  if (mki_hex != NULL) {
    int n = unhex(mki_hex, mki_id, sizeof mki_id);
    if (n <= 0) {
      fprintf(stderr, "bad MKI\n");
      exit(2);
    }
    master_key.mki_size = (unsigned)n;
    policy.keys = master_keys;
    policy.num_master_keys = 1;
  } else {
    policy.key = master;
  }
  policy.window_size = 128;
  policy.allow_repeat_tx = 1;
  policy.next = NULL;
  srtp_t session;
  srtp_err_status_t st = srtp_create(&session, &policy);
  if (st != srtp_err_status_ok) {
    fprintf(stderr, "srtp_create failed: %d\n", st);
    exit(2);
  }
  return session;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

#define RING 4096

/* Packets/s of protect (and of unprotect over a ring of pre-protected packets). */
static int bench(int profile, const char *key, const char *salt, int size, int ms, int samples,
                 const char *only) {
  static uint8_t buf[MAX_PACKET + SRTP_MAX_TRAILER_LEN];
  uint8_t *ring = malloc((size_t)RING * (size + SRTP_MAX_TRAILER_LEN));
  int *ring_len = malloc(sizeof(int) * RING);
  srtp_t tx = make_session(profile, key, salt, 0, NULL);
  uint8_t packet[MAX_PACKET];
  memset(packet, 0xab, sizeof packet);
  packet[0] = 0x80, packet[1] = 96;
  packet[8] = 0x12, packet[9] = 0x34, packet[10] = 0x56, packet[11] = 0x78;
  uint16_t seq = 0;

  printf("protect");
  for (int s = 0; s < (strcmp(only, "unprotect") == 0 ? 0 : samples); s++) {
    long ops = 0;
    double t0 = now_s(), t;
    do {
      for (int i = 0; i < 256; i++, ops++) {
        memcpy(buf, packet, size);
        buf[2] = seq >> 8, buf[3] = seq & 0xff;
        seq++;
        int len = size;
        if (srtp_protect(tx, buf, &len) != srtp_err_status_ok) return 1;
      }
      t = now_s() - t0;
    } while (t * 1000 < ms);
    printf(" %.0f", ops / t);
  }
  printf("\n");

  /* A ring of consecutive packets from a fresh sender; each pass uses a fresh receiver. */
  srtp_t ringtx = make_session(profile, key, salt, 0, NULL);
  for (int i = 0; i < RING; i++) {
    uint8_t *p = ring + (size_t)i * (size + SRTP_MAX_TRAILER_LEN);
    memcpy(p, packet, size);
    p[2] = i >> 8, p[3] = i & 0xff;
    ring_len[i] = size;
    if (srtp_protect(ringtx, p, &ring_len[i]) != srtp_err_status_ok) return 1;
  }
  srtp_dealloc(ringtx);
  printf("unprotect");
  for (int s = 0; s < (strcmp(only, "protect") == 0 ? 0 : samples); s++) {
    long ops = 0;
    double spent = 0;
    do {
      srtp_t rx = make_session(profile, key, salt, 1, NULL);
      double t0 = now_s();
      for (int i = 0; i < RING; i++, ops++) {
        uint8_t *p = ring + (size_t)i * (size + SRTP_MAX_TRAILER_LEN);
        memcpy(buf, p, ring_len[i]);
        int len = ring_len[i];
        if (srtp_unprotect(rx, buf, &len) != srtp_err_status_ok) return 1;
      }
      spent += now_s() - t0;
      srtp_dealloc(rx);
    } while (spent * 1000 < ms);
    printf(" %.0f", ops / spent);
  }
  printf("\n");
  fflush(stdout);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr,
            "usage: %s protect|unprotect|protect_rtcp|unprotect_rtcp <profile> <key hex> <salt hex> [mki hex]\n"
            "       %s bench <profile> <key hex> <salt hex> <bytes> <ms> <samples> [op]\n",
            argv[0], argv[0]);
    return 2;
  }
  if (srtp_init() != srtp_err_status_ok) {
    fprintf(stderr, "srtp_init failed\n");
    return 2;
  }
  const char *mode = argv[1];
  int profile = atoi(argv[2]);
  if (strcmp(mode, "bench") == 0) {
    if (argc < 8) return 2;
    return bench(profile, argv[3], argv[4], atoi(argv[5]), atoi(argv[6]), atoi(argv[7]),
                 argc > 8 ? argv[8] : "both");
  }
  int rtcp = strstr(mode, "rtcp") != NULL;
  int inbound = strncmp(mode, "unprotect", 9) == 0;
  const char *mki = argc > 5 ? argv[5] : NULL;
  unsigned use_mki = mki != NULL;
  srtp_t session = make_session(profile, argv[3], argv[4], inbound, mki);

  static char line[2 * MAX_PACKET + 16];
  static uint8_t buf[MAX_PACKET + SRTP_MAX_TRAILER_LEN];
  while (fgets(line, sizeof line, stdin) != NULL) {
    int len = unhex(line, buf, MAX_PACKET);
    if (len < 0) {
      printf("error hex\n");
      fflush(stdout);
      continue;
    }
    srtp_err_status_t st;
    if (rtcp)
      st = inbound ? srtp_unprotect_rtcp_mki(session, buf, &len, use_mki)
                   : srtp_protect_rtcp_mki(session, buf, &len, use_mki, 0);
    else
      st = inbound ? srtp_unprotect_mki(session, buf, &len, use_mki)
                   : srtp_protect_mki(session, buf, &len, use_mki, 0);
    if (st != srtp_err_status_ok)
      printf("error %d\n", st);
    else
      puthex(buf, len);
    fflush(stdout);
  }
  srtp_dealloc(session);
  return 0;
}
