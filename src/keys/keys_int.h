/*
 * keys_int.h - what the key-file parsers share: the line reader, the error
 * and warning rules, hex and token helpers, and the store's add functions.
 * Nothing here is for callers outside src/keys/.
 *
 * Error rule (UX): one line, "file:line: what is wrong (expected ...)", and a
 * secret is never echoed: a bad key is described by its length or by the
 * position of the bad character, never by its digits.
 */
#ifndef IKELENS_KEYS_INT_H
#define IKELENS_KEYS_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/keys/keys.h"

#define KF_LINE_MAX 8192	 /* longest line accepted, in bytes */
#define KF_FILE_MAX (512u << 20) /* largest key file or log read */
#define KF_MAX_ENTRIES 16384u	 /* per kind of entry in one store */
#define KF_MAX_WARNINGS 10	 /* per file; then one "and N more" line */

enum kf_format {
	KF_UNKNOWN = 0,
	KF_WS_IKEV1,	/* Wireshark ikev1_decryption_table */
	KF_WS_IKEV2,	/* Wireshark ikev2_decryption_table */
	KF_WS_ESP,	/* Wireshark esp_sa */
	KF_CHARON,	/* strongSwan charon file log, text */
	KF_CHARON_JSON, /* strongSwan charon file log, json = yes */
	KF_TCPDUMP,	/* tcpdump -E secrets: ESP lines and libreswan's ikev2 lines */
	KF_PLUTO,	/* a libreswan (pluto) debug log holding ikev2 key lines */
	KF_XFRM,	/* ip xfrm state */
	KF_NATIVE,	/* ikelens-keys */
	KF_PSK,		/* --psk-file */
};

/* One file being read.  Lives on the stack of keys_load_buffer(); `line` and
 * `scratch` hold secrets and are wiped when the file is done. */
struct kf_src {
	struct kx_store *ks;
	const char *name;
	const char *buf;
	size_t len, pos;
	unsigned lineno;
	char line[KF_LINE_MAX + 1];
	size_t n; /* length of line */
	char scratch[KF_LINE_MAX + 1];
	char *err;
	size_t errlen;
	unsigned added;	   /* entries this file added to the store */
	unsigned warnings; /* warnings printed for this file */
	unsigned suppressed;
};

/* The next line into s->line (no line terminator).  1: a line, 0: end of
 * input, -1: error set (line too long, NUL byte). */
int kf_next_line(struct kf_src *s);

/* Sets "name:line: <message>" as the error and returns -1.  With line 0 the
 * ":line" part is left out. */
int kf_fail(struct kf_src *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int kf_fail_at(struct kf_src *s, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "ikelens: warning: name:line: <message>" on stderr, at most
 * KF_MAX_WARNINGS per file. */
void kf_warn(struct kf_src *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kf_warn_at(struct kf_src *s, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void kf_warn_done(struct kf_src *s);

/* Text helpers. */
bool kf_is_space(char c);
bool kf_blank(const char *p, size_t n); /* only blanks */
/* The next blank-separated token of [*p, end); false at the end. */
bool kf_token(const char **p, const char *end, const char **tok, size_t *tlen);
bool kf_tok_eq(const char *tok, size_t tlen, const char *word);
bool kf_tok_ieq(const char *tok, size_t tlen, const char *word);
bool kf_starts(const char *p, size_t n, const char *prefix);
/* Copies a non-secret token for a message: printable ASCII only, cut at 48
 * characters with "...". */
const char *kf_show(const char *tok, size_t tlen, char *buf, size_t blen);

/* Hex.  kf_hex decodes exactly n hex digits (no prefix, no separators).
 * On failure returns -1 and writes the reason for a field named `what`
 * into s's error ("SK_ei has 31 hex digits (expected an even number)"),
 * never the digits.  `max` bounds the decoded length. */
int kf_hex(struct kf_src *s, const char *what, const char *p, size_t n, uint8_t *out, size_t max,
	   size_t *outn);
/* The same with an optional 0x/0X prefix. */
int kf_hex0x(struct kf_src *s, const char *what, const char *p, size_t n, uint8_t *out, size_t max,
	     size_t *outn);
int kf_hex_bytes(struct kf_src *s, const char *what, const char *p, size_t n, struct kx_bytes *out);
/* An 8-byte SPI/cookie: 16 hex digits, optional 0x. */
int kf_spi8(struct kf_src *s, const char *what, const char *p, size_t n, uint8_t out[8]);
/* A 32-bit SPI: 0x and 1-8 hex digits, or decimal. */
bool kf_spi32(const char *p, size_t n, uint32_t *out);
bool kf_uint(const char *p, size_t n, unsigned long max, unsigned long *out);
bool kf_addr(const char *p, size_t n, struct addr *a);
bool kf_all_zero(const uint8_t *p, size_t n);

/* Algorithm names (names.h tables first; these only cover spellings the
 * tables do not have).  IKEv2 ids, key bits 0 when the name does not say. */
/* strongSwan proposal tokens: "AES_CBC_256", "AES_GCM_16_128", "3DES_CBC". */
bool kf_swan_encr(const char *tok, size_t n, uint32_t *id, uint16_t *bits);
/* "HMAC_SHA2_256_128", "AES_XCBC_96", "HMAC_SHA2_256_96". */
bool kf_swan_integ(const char *tok, size_t n, uint32_t *id);
/* strongSwan DH group token -> KE payload data length in bytes (0 if unknown). */
uint16_t kf_swan_ke_len(const char *tok, size_t n);
/* Salt bytes of an ENCR id (GCM/CTR/ChaCha 4, CCM 3). */
uint16_t kf_salt_len(uint32_t encr);
/* Checks a cipher key (with its salt) against the ENCR id; on success sets
 * key_bits.  On failure writes a message into msg (no key bytes in it). */
bool kf_check_ekey(uint32_t encr, uint16_t want_bits, size_t keylen, uint16_t *key_bits, char *msg,
		   size_t msglen);

/* Store.  Each returns 0, or -1 with the error set (store full).  Entries
 * are merged with an existing one for the same SA when no field disagrees
 * (two logs of one negotiation, a table plus a native file); an entry that
 * disagrees is kept as a second candidate. */
int kf_add_ike1(struct kf_src *s, unsigned line, const struct kx_ike1 *e);
int kf_add_ike2(struct kf_src *s, unsigned line, const struct kx_ike2 *e);
/* The same; *index gets the entry's place in the store (added or merged into). */
int kf_add_ike2_at(struct kf_src *s, unsigned line, const struct kx_ike2 *e, int *index);
int kf_add_esp(struct kf_src *s, unsigned line, const struct kx_esp *e);
int kf_add_psk(struct kf_src *s, unsigned line, const struct kx_psk *e);
int kf_add_dhpriv(struct kf_src *s, unsigned line, const struct kx_dhpriv *e);
/* "name:line" kept in the store (no secret in it). */
const char *kf_origin(struct kf_src *s, unsigned line);

void kf_wipe(void *p, size_t n);

/* Parsers: each reads the whole of s from the start. */
int kf_parse_wireshark(struct kf_src *s, enum kf_format f);
int kf_parse_charon(struct kf_src *s, bool json);
int kf_parse_tcpdump(struct kf_src *s, bool pluto_log);
int kf_parse_xfrm(struct kf_src *s);
int kf_parse_native(struct kf_src *s);
int kf_parse_psk(struct kf_src *s);

/* Recognisers: does this (first meaningful) line look like the format? */
bool kf_looks_charon(const char *line, size_t n);
bool kf_looks_charon_json(const char *line, size_t n);
enum kf_format kf_looks_wireshark(const char *line, size_t n);
bool kf_looks_tcpdump(const char *line, size_t n);
bool kf_looks_pluto(const char *line, size_t n);
bool kf_looks_xfrm(const char *line, size_t n);
bool kf_looks_native(const char *line, size_t n);

/* A secret as the PSK forms write it: "quoted text", 0xHEX, 0sBASE64, or
 * bare text.  Shared by the PSK file and the native file. */
int kf_psk_secret(struct kf_src *s, const char *p, size_t n, bool quoted, struct kx_psk *e);
/* Splits a PSK-style line into up to `max` tokens, honouring double quotes
 * (the quotes are dropped, quoted[i] says which were quoted).  Returns the
 * count, or -1 (error set) on an unterminated quote. */
int kf_split_quoted(struct kf_src *s, const char *p, size_t n, const char **tok, size_t *tlen,
		    bool *quoted, int max);

#endif
