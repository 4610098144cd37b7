/*
 * addr.h - IPv4/IPv6 addresses as the program passes them around, and their
 * text form (IPv6 per RFC 5952: lower case, longest run of zero groups
 * compressed, leftmost on a tie, a single zero group not compressed).
 */
#ifndef IKELENS_ADDR_H
#define IKELENS_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct addr {
	uint8_t af;    /* 4, 6, or 0 when unset */
	uint8_t a[16]; /* IPv4 in the first 4 bytes, rest zero */
};

#define ADDR_STRLEN 48 /* enough for any IPv6 text form plus NUL */

void addr_set4(struct addr *x, const uint8_t *b4);
void addr_set6(struct addr *x, const uint8_t *b16);
bool addr_eq(const struct addr *x, const struct addr *y);
int addr_cmp(const struct addr *x, const struct addr *y);
/* Writes the text form; returns dst. */
char *addr_str(const struct addr *x, char *dst, size_t len);
/* Formats raw bytes: 4 bytes IPv4, 16 bytes IPv6. */
char *addr_str_raw(const uint8_t *b, size_t n, char *dst, size_t len);
/* Parses dotted IPv4 or IPv6 text; false if it is neither. */
bool addr_parse(const char *s, struct addr *x);
uint32_t addr_hash(const struct addr *x);

#endif
