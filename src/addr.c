/* addr.c - see addr.h. */
#include "src/addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

void
addr_set4(struct addr *x, const uint8_t *b4)
{
	memset(x, 0, sizeof *x);
	x->af = 4;
	memcpy(x->a, b4, 4);
}

void
addr_set6(struct addr *x, const uint8_t *b16)
{
	memset(x, 0, sizeof *x);
	x->af = 6;
	memcpy(x->a, b16, 16);
}

bool
addr_eq(const struct addr *x, const struct addr *y)
{
	return x->af == y->af && memcmp(x->a, y->a, x->af == 4 ? 4 : 16) == 0;
}

int
addr_cmp(const struct addr *x, const struct addr *y)
{
	if (x->af != y->af)
		return x->af < y->af ? -1 : 1;
	return memcmp(x->a, y->a, 16);
}

static char *
fmt6(const uint8_t *b, char *dst, size_t len)
{
	uint16_t g[8];
	for (int i = 0; i < 8; i++)
		g[i] = (uint16_t)(b[2 * i] << 8 | b[2 * i + 1]);

	/* RFC 5952 4.2: the longest run of two or more zero groups, leftmost on a tie. */
	int best = -1, bestlen = 0;
	for (int i = 0; i < 8;) {
		if (g[i] != 0) {
			i++;
			continue;
		}
		int j = i;
		while (j < 8 && g[j] == 0)
			j++;
		if (j - i > bestlen && j - i >= 2) {
			best = i;
			bestlen = j - i;
		}
		i = j;
	}

	/* RFC 5952 5: IPv4-mapped addresses keep the dotted quad. */
	bool mapped = best == 0 && bestlen == 5 && g[5] == 0xffff;

	char buf[ADDR_STRLEN];
	size_t n = 0;
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			n += (size_t)snprintf(buf + n, sizeof buf - n, "::");
			i += bestlen - 1;
			continue;
		}
		if (mapped && i == 6) {
			snprintf(buf + n, sizeof buf - n, ":%u.%u.%u.%u", b[12], b[13], b[14],
				 b[15]);
			n = strlen(buf);
			break;
		}
		if (n > 0 && buf[n - 1] != ':')
			buf[n++] = ':';
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%x", g[i]);
	}
	buf[n] = '\0';
	snprintf(dst, len, "%s", buf);
	return dst;
}

char *
addr_str_raw(const uint8_t *b, size_t n, char *dst, size_t len)
{
	if (n == 4)
		snprintf(dst, len, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	else if (n == 16)
		fmt6(b, dst, len);
	else
		snprintf(dst, len, "?");
	return dst;
}

char *
addr_str(const struct addr *x, char *dst, size_t len)
{
	if (x->af == 4)
		return addr_str_raw(x->a, 4, dst, len);
	if (x->af == 6)
		return addr_str_raw(x->a, 16, dst, len);
	snprintf(dst, len, "-");
	return dst;
}

bool
addr_parse(const char *s, struct addr *x)
{
	uint8_t b[16];
	if (inet_pton(AF_INET, s, b) == 1) {
		addr_set4(x, b);
		return true;
	}
	if (inet_pton(AF_INET6, s, b) == 1) {
		addr_set6(x, b);
		return true;
	}
	return false;
}

uint32_t
addr_hash(const struct addr *x)
{
	/* FNV-1a over the used bytes */
	uint32_t h = 2166136261u ^ x->af;
	size_t n = x->af == 4 ? 4 : 16;
	for (size_t i = 0; i < n; i++) {
		h ^= x->a[i];
		h *= 16777619u;
	}
	return h;
}
