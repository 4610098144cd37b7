/*
 * keys.c - the key store: loading files (format recognised from content),
 * adding and merging entries, lookups, the summary, and wiping.
 *
 * Memory: a file is read whole (at most KF_FILE_MAX), parsed line by line
 * into a fixed line buffer, and wiped and freed before the next one; the
 * only allocations that outlive a file are the store's arrays (at most
 * KF_MAX_ENTRIES entries of each kind) and one "file:line" string per entry.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/cli.h"
#include "src/keys/keys_int.h"

#define KF_ACCEPTED                                                                                \
	"accepted: Wireshark ikev1_decryption_table, ikev2_decryption_table or esp_sa; a "         \
	"strongSwan charon log at level 4 (text or json); libreswan ikev2 key lines or tcpdump "   \
	"-E secrets; `ip xfrm state` output; an ikelens-keys file. Pre-shared keys go in "         \
	"--psk-file"

struct kx_store *
keys_new(void)
{
	return calloc(1, sizeof(struct kx_store));
}

void
keys_free(struct kx_store *ks)
{
	if (ks == NULL)
		return;
	kf_wipe(ks->ike1, (size_t)ks->capike1 * sizeof *ks->ike1);
	kf_wipe(ks->ike2, (size_t)ks->capike2 * sizeof *ks->ike2);
	kf_wipe(ks->esp, (size_t)ks->capesp * sizeof *ks->esp);
	kf_wipe(ks->psk, (size_t)ks->cappsk * sizeof *ks->psk);
	kf_wipe(ks->dhpriv, (size_t)ks->capdhpriv * sizeof *ks->dhpriv);
	free(ks->ike1);
	free(ks->ike2);
	free(ks->esp);
	free(ks->psk);
	free(ks->dhpriv);
	for (unsigned i = 0; i < ks->nstrings; i++)
		free(ks->strings[i]);
	free(ks->strings);
	kf_wipe(ks, sizeof *ks);
	free(ks);
}

/* ---- adding -------------------------------------------------------------- */

/* Grows an array of `size`-byte entries; the old block is wiped before it
 * is freed (it holds secrets). */
static int
grow(struct kf_src *s, void **arr, unsigned *cap, unsigned n, size_t size, const char *what)
{
	if (n < *cap)
		return 0;
	if (n >= KF_MAX_ENTRIES)
		return kf_fail(s, "more than %u %s in the key files (expected fewer)",
			       KF_MAX_ENTRIES, what);
	unsigned ncap = *cap ? *cap * 2 : 8;
	if (ncap > KF_MAX_ENTRIES)
		ncap = KF_MAX_ENTRIES;
	void *na = calloc(ncap, size);
	if (na == NULL)
		return kf_fail(s, "out of memory");
	if (*arr) {
		memcpy(na, *arr, (size_t)n * size);
		kf_wipe(*arr, (size_t)*cap * size);
		free(*arr);
	}
	*arr = na;
	*cap = ncap;
	return 0;
}

const char *
kf_origin(struct kf_src *s, unsigned line)
{
	struct kx_store *ks = s->ks;
	char b[600];
	if (line)
		snprintf(b, sizeof b, "%s:%u", s->name, line);
	else
		snprintf(b, sizeof b, "%s", s->name);
	/* entries of one file share lines often (a table row is one line) */
	if (ks->nstrings && strcmp(ks->strings[ks->nstrings - 1], b) == 0)
		return ks->strings[ks->nstrings - 1];
	if (ks->nstrings == ks->capstrings) {
		if (ks->capstrings >= 5 * KF_MAX_ENTRIES)
			return "(key file)";
		unsigned ncap = ks->capstrings ? ks->capstrings * 2 : 16;
		char **na = realloc(ks->strings, ncap * sizeof *na);
		if (na == NULL)
			return "(key file)";
		ks->strings = na;
		ks->capstrings = ncap;
	}
	char *d = strdup(b);
	if (d == NULL)
		return "(key file)";
	ks->strings[ks->nstrings++] = d;
	return d;
}

static bool
bytes_compat(const struct kx_bytes *a, const struct kx_bytes *b)
{
	return a->n == 0 || b->n == 0 || (a->n == b->n && memcmp(a->b, b->b, a->n) == 0);
}

static void
bytes_fill(struct kx_bytes *a, const struct kx_bytes *b)
{
	if (a->n == 0 && b->n)
		*a = *b;
}

static bool
big_compat(const uint8_t *a, uint16_t an, const uint8_t *b, uint16_t bn)
{
	return an == 0 || bn == 0 || (an == bn && memcmp(a, b, an) == 0);
}

static bool
ike1_compat(const struct kx_ike1 *a, const struct kx_ike1 *b)
{
	if (memcmp(a->icookie, b->icookie, 8) != 0)
		return false;
	if (a->have_rcookie && b->have_rcookie && memcmp(a->rcookie, b->rcookie, 8) != 0)
		return false;
	return bytes_compat(&a->ka, &b->ka) && bytes_compat(&a->skeyid, &b->skeyid) &&
	       bytes_compat(&a->skeyid_d, &b->skeyid_d) &&
	       bytes_compat(&a->skeyid_a, &b->skeyid_a) &&
	       bytes_compat(&a->skeyid_e, &b->skeyid_e) &&
	       bytes_compat(&a->last_block, &b->last_block) && bytes_compat(&a->iv, &b->iv) &&
	       big_compat(a->gxy, a->gxy_len, b->gxy, b->gxy_len);
}

int
kf_add_ike1(struct kf_src *s, unsigned line, const struct kx_ike1 *e)
{
	struct kx_store *ks = s->ks;
	for (unsigned i = 0; i < ks->nike1; i++) {
		struct kx_ike1 *x = &ks->ike1[i];
		if (!ike1_compat(x, e))
			continue;
		if (!x->have_rcookie && e->have_rcookie) {
			memcpy(x->rcookie, e->rcookie, 8);
			x->have_rcookie = true;
		}
		bytes_fill(&x->ka, &e->ka);
		bytes_fill(&x->skeyid, &e->skeyid);
		bytes_fill(&x->skeyid_d, &e->skeyid_d);
		bytes_fill(&x->skeyid_a, &e->skeyid_a);
		bytes_fill(&x->skeyid_e, &e->skeyid_e);
		bytes_fill(&x->last_block, &e->last_block);
		bytes_fill(&x->iv, &e->iv);
		if (x->gxy_len == 0 && e->gxy_len) {
			memcpy(x->gxy, e->gxy, e->gxy_len);
			x->gxy_len = e->gxy_len;
		}
		s->added++;
		return 0;
	}
	if (grow(s, (void **)&ks->ike1, &ks->capike1, ks->nike1, sizeof *ks->ike1, "IKEv1 SAs") < 0)
		return -1;
	struct kx_ike1 *x = &ks->ike1[ks->nike1++];
	*x = *e;
	x->origin = kf_origin(s, line);
	s->added++;
	return 0;
}

static bool
ike2_compat(const struct kx_ike2 *a, const struct kx_ike2 *b)
{
	if (memcmp(a->spii, b->spii, 8) != 0)
		return false;
	if (a->have_spir && b->have_spir && memcmp(a->spir, b->spir, 8) != 0)
		return false;
	if (a->algs_known && b->algs_known &&
	    (a->encr != b->encr || a->key_bits != b->key_bits || a->integ != b->integ))
		return false;
	return bytes_compat(&a->sk_d, &b->sk_d) && bytes_compat(&a->sk_ai, &b->sk_ai) &&
	       bytes_compat(&a->sk_ar, &b->sk_ar) && bytes_compat(&a->sk_ei, &b->sk_ei) &&
	       bytes_compat(&a->sk_er, &b->sk_er) && bytes_compat(&a->sk_pi, &b->sk_pi) &&
	       bytes_compat(&a->sk_pr, &b->sk_pr) &&
	       big_compat(a->gir, a->gir_len, b->gir, b->gir_len);
}

int
kf_add_ike2(struct kf_src *s, unsigned line, const struct kx_ike2 *e)
{
	int index;
	return kf_add_ike2_at(s, line, e, &index);
}

int
kf_add_ike2_at(struct kf_src *s, unsigned line, const struct kx_ike2 *e, int *index)
{
	struct kx_store *ks = s->ks;
	*index = -1;
	for (unsigned i = 0; i < ks->nike2 && !e->rekey_pending; i++) {
		struct kx_ike2 *x = &ks->ike2[i];
		if (x->rekey_pending || !ike2_compat(x, e))
			continue;
		*index = (int)i;
		if (!x->have_spir && e->have_spir) {
			memcpy(x->spir, e->spir, 8);
			x->have_spir = true;
		}
		if (!x->algs_known && e->algs_known) {
			x->encr = e->encr;
			x->key_bits = e->key_bits;
			x->integ = e->integ;
			x->algs_known = true;
		}
		bytes_fill(&x->sk_d, &e->sk_d);
		bytes_fill(&x->sk_ai, &e->sk_ai);
		bytes_fill(&x->sk_ar, &e->sk_ar);
		bytes_fill(&x->sk_ei, &e->sk_ei);
		bytes_fill(&x->sk_er, &e->sk_er);
		bytes_fill(&x->sk_pi, &e->sk_pi);
		bytes_fill(&x->sk_pr, &e->sk_pr);
		if (x->gir_len == 0 && e->gir_len) {
			memcpy(x->gir, e->gir, e->gir_len);
			x->gir_len = e->gir_len;
		}
		s->added++;
		return 0;
	}
	if (grow(s, (void **)&ks->ike2, &ks->capike2, ks->nike2, sizeof *ks->ike2, "IKEv2 SAs") < 0)
		return -1;
	*index = (int)ks->nike2;
	struct kx_ike2 *x = &ks->ike2[ks->nike2++];
	*x = *e;
	x->origin = kf_origin(s, line);
	s->added++;
	return 0;
}

static bool
addr_compat(const struct addr *a, const struct addr *b)
{
	return a->af == 0 || b->af == 0 || addr_eq(a, b);
}

int
kf_add_esp(struct kf_src *s, unsigned line, const struct kx_esp *e)
{
	struct kx_store *ks = s->ks;
	for (unsigned i = 0; i < ks->nesp; i++) {
		struct kx_esp *x = &ks->esp[i];
		if (x->spi != e->spi || x->proto != e->proto || !addr_compat(&x->src, &e->src) ||
		    !addr_compat(&x->dst, &e->dst) || x->encr != e->encr ||
		    x->key_bits != e->key_bits || x->integ != e->integ ||
		    !bytes_compat(&x->ekey, &e->ekey) || !bytes_compat(&x->akey, &e->akey) ||
		    (x->icv_len && e->icv_len && x->icv_len != e->icv_len))
			continue;
		if (x->src.af == 0)
			x->src = e->src;
		if (x->dst.af == 0)
			x->dst = e->dst;
		bytes_fill(&x->ekey, &e->ekey);
		bytes_fill(&x->akey, &e->akey);
		if (!x->icv_len)
			x->icv_len = e->icv_len;
		x->esn |= e->esn;
		if (!x->udp_encap && e->udp_encap) {
			x->udp_encap = true;
			x->sport = e->sport;
			x->dport = e->dport;
		}
		s->added++;
		return 0;
	}
	if (grow(s, (void **)&ks->esp, &ks->capesp, ks->nesp, sizeof *ks->esp, "ESP SAs") < 0)
		return -1;
	struct kx_esp *x = &ks->esp[ks->nesp++];
	*x = *e;
	x->origin = kf_origin(s, line);
	s->added++;
	return 0;
}

int
kf_add_psk(struct kf_src *s, unsigned line, const struct kx_psk *e)
{
	struct kx_store *ks = s->ks;
	for (unsigned i = 0; i < ks->npsk; i++) {
		struct kx_psk *x = &ks->psk[i];
		if (x->peer.af == e->peer.af && (e->peer.af == 0 || addr_eq(&x->peer, &e->peer)) &&
		    strcmp(x->id, e->id) == 0 && x->len == e->len &&
		    memcmp(x->secret, e->secret, e->len) == 0) {
			s->added++;
			return 0;
		}
	}
	if (grow(s, (void **)&ks->psk, &ks->cappsk, ks->npsk, sizeof *ks->psk, "PSKs") < 0)
		return -1;
	struct kx_psk *x = &ks->psk[ks->npsk++];
	*x = *e;
	x->origin = kf_origin(s, line);
	s->added++;
	return 0;
}

int
kf_add_dhpriv(struct kf_src *s, unsigned line, const struct kx_dhpriv *e)
{
	struct kx_store *ks = s->ks;
	for (unsigned i = 0; i < ks->ndhpriv; i++) {
		struct kx_dhpriv *x = &ks->dhpriv[i];
		if (x->group == e->group && x->len == e->len && addr_compat(&x->addr, &e->addr) &&
		    x->addr.af == e->addr.af && memcmp(x->priv, e->priv, e->len) == 0) {
			s->added++;
			return 0;
		}
	}
	if (grow(s, (void **)&ks->dhpriv, &ks->capdhpriv, ks->ndhpriv, sizeof *ks->dhpriv,
		 "DH private values") < 0)
		return -1;
	struct kx_dhpriv *x = &ks->dhpriv[ks->ndhpriv++];
	*x = *e;
	x->origin = kf_origin(s, line);
	s->added++;
	return 0;
}

/* ---- recognising and loading --------------------------------------------- */

static const char *
format_name(enum kf_format f)
{
	switch (f) {
	case KF_WS_IKEV1:
		return "Wireshark ikev1_decryption_table";
	case KF_WS_IKEV2:
		return "Wireshark ikev2_decryption_table";
	case KF_WS_ESP:
		return "Wireshark esp_sa table";
	case KF_CHARON:
	case KF_CHARON_JSON:
		return "strongSwan charon log";
	case KF_TCPDUMP:
		return "tcpdump/libreswan secrets file";
	case KF_PLUTO:
		return "libreswan log";
	case KF_XFRM:
		return "`ip xfrm state` output";
	case KF_NATIVE:
		return "ikelens-keys file";
	case KF_PSK:
		return "PSK file";
	default:
		return "key file";
	}
}

static const char *
empty_hint(enum kf_format f)
{
	switch (f) {
	case KF_CHARON:
	case KF_CHARON_JSON:
		return "charon prints keys only at log level 4 for ike and chd, with ike_name = "
		       "yes "
		       "to tie lines to their SA";
	case KF_PLUTO:
		return "pluto prints \"ikev2 I|R ...\" key lines only with crypt debugging, once "
		       "an IKE SA has keys";
	case KF_XFRM:
		return "states without keys (`ip xfrm state` run without privileges, or with "
		       "nokeys) are skipped";
	default:
		return "it holds only comments or blank lines";
	}
}

static bool
meaningful(const char *l, size_t n)
{
	size_t i = 0;
	while (i < n && kf_is_space(l[i]))
		i++;
	return i < n && l[i] != '#';
}

/* Looks at the first meaningful line, then (for logs that start with
 * something else) at up to 200 more lines for a log's marks. */
static enum kf_format
recognise(struct kf_src *s, unsigned *first)
{
	int r;
	enum kf_format f = KF_UNKNOWN;
	unsigned seen = 0;

	*first = 0;
	while ((r = kf_next_line(s)) > 0) {
		if (s->lineno == 1 && kf_starts(s->line, s->n, "# ikelens-keys"))
			return KF_NATIVE;
		if (!meaningful(s->line, s->n))
			continue;
		if (seen++ == 0) {
			*first = s->lineno;
			if (kf_looks_charon_json(s->line, s->n))
				return KF_CHARON_JSON;
			if (kf_looks_charon(s->line, s->n))
				return KF_CHARON;
			if (kf_looks_xfrm(s->line, s->n))
				return KF_XFRM;
			if (kf_looks_tcpdump(s->line, s->n))
				return KF_TCPDUMP;
			if ((f = kf_looks_wireshark(s->line, s->n)) != KF_UNKNOWN)
				return f;
			if (kf_looks_native(s->line, s->n))
				return KF_NATIVE;
			if (kf_looks_pluto(s->line, s->n))
				return KF_PLUTO;
			continue;
		}
		if (seen > 200)
			break;
		if (kf_looks_charon(s->line, s->n))
			return KF_CHARON;
		if (kf_looks_pluto(s->line, s->n))
			return KF_PLUTO;
	}
	if (r < 0)
		return KF_UNKNOWN;
	return KF_UNKNOWN;
}

static int
load_as(struct kx_store *ks, const char *name, const char *buf, size_t len, enum kf_format want,
	char *err, size_t errlen)
{
	struct kf_src *s = calloc(1, sizeof *s);
	if (s == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	char dummy[8];
	s->ks = ks;
	s->name = name;
	s->buf = buf;
	s->len = len;
	s->err = err && errlen ? err : dummy;
	s->errlen = err && errlen ? errlen : sizeof dummy;
	s->err[0] = '\0';

	int rc = 0;
	enum kf_format f = want;
	if (f == KF_UNKNOWN) {
		unsigned first = 0;
		f = recognise(s, &first);
		if (f == KF_UNKNOWN && s->err[0] == '\0') {
			if (first)
				kf_fail_at(s, first, "not a key file ikelens knows (%s)",
					   KF_ACCEPTED);
			else
				kf_fail_at(s, 0,
					   "no key material: the file is empty or only comments "
					   "(%s)",
					   KF_ACCEPTED);
		}
		if (f == KF_UNKNOWN)
			rc = -1;
	}
	if (rc == 0) {
		s->pos = 0;
		s->lineno = 0;
		switch (f) {
		case KF_WS_IKEV1:
		case KF_WS_IKEV2:
		case KF_WS_ESP:
			rc = kf_parse_wireshark(s, f);
			break;
		case KF_CHARON:
			rc = kf_parse_charon(s, false);
			break;
		case KF_CHARON_JSON:
			rc = kf_parse_charon(s, true);
			break;
		case KF_TCPDUMP:
			rc = kf_parse_tcpdump(s, false);
			break;
		case KF_PLUTO:
			rc = kf_parse_tcpdump(s, true);
			break;
		case KF_XFRM:
			rc = kf_parse_xfrm(s);
			break;
		case KF_NATIVE:
			rc = kf_parse_native(s);
			break;
		case KF_PSK:
			rc = kf_parse_psk(s);
			break;
		default:
			rc = kf_fail_at(s, 0, "internal error: no parser");
			break;
		}
		/* A log of a negotiation that failed before any key exchange
		 * has no keys and is still worth giving: a warning.  A key
		 * table without a key is a mistake: an error. */
		if (rc == 0 && s->added == 0 &&
		    (f == KF_CHARON || f == KF_CHARON_JSON || f == KF_PLUTO || f == KF_XFRM))
			kf_warn_at(s, 0, "no keys found in this %s (%s)", format_name(f),
				   empty_hint(f));
		else if (rc == 0 && s->added == 0)
			rc = kf_fail_at(s, 0, "no keys found in this %s (%s)", format_name(f),
					empty_hint(f));
	}
	kf_warn_done(s);
	if (rc == 0)
		ks->files++;
	kf_wipe(s, sizeof *s);
	free(s);
	return rc;
}

int
keys_load_buffer(struct kx_store *ks, const char *name, const char *buf, size_t len, char *err,
		 size_t errlen)
{
	if (ks == NULL || buf == NULL) {
		if (err && errlen)
			snprintf(err, errlen, "%s: nothing to read", name ? name : "(keys)");
		return -1;
	}
	return load_as(ks, name ? name : "(keys)", buf, len, KF_UNKNOWN, err, errlen);
}

/* Reads a whole file (regular or not: process substitution gives a pipe)
 * into a buffer the caller wipes and frees. */
static int
read_file(const char *path, char **out, size_t *outlen, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: is a directory (expected a key file)", path);
		close(fd);
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & (S_IRGRP | S_IROTH)))
		fprintf(stderr,
			"ikelens: warning: %s is readable by %s (mode %04o): key material should "
			"be readable by its owner only (chmod 600)\n",
			path,
			(st.st_mode & S_IROTH)
			    ? ((st.st_mode & S_IRGRP) ? "group and others" : "others")
			    : "group",
			(unsigned)(st.st_mode & 07777));

	size_t cap = 1 << 16, n = 0;
	char *b = malloc(cap);
	if (b == NULL) {
		close(fd);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	for (;;) {
		if (n == cap) {
			if (cap >= KF_FILE_MAX) {
				kf_wipe(b, n);
				free(b);
				close(fd);
				snprintf(err, errlen,
					 "%s: larger than %u MiB (expected a key file; cut the "
					 "part with the keys out of a large log first)",
					 path, KF_FILE_MAX >> 20);
				return -1;
			}
			size_t ncap = cap * 2;
			char *nb = malloc(ncap);
			if (nb == NULL) {
				kf_wipe(b, n);
				free(b);
				close(fd);
				snprintf(err, errlen, "%s: out of memory", path);
				return -1;
			}
			memcpy(nb, b, n);
			kf_wipe(b, n);
			free(b);
			b = nb;
			cap = ncap;
		}
		ssize_t r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
			kf_wipe(b, n);
			free(b);
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*out = b;
	*outlen = n;
	return 0;
}

static int
load_file_as(struct kx_store *ks, const char *path, enum kf_format f, char *err, size_t errlen)
{
	char *b = NULL;
	size_t n = 0;
	char dummy[8];
	if (err == NULL || errlen == 0) {
		err = dummy;
		errlen = sizeof dummy;
	}
	if (ks == NULL || path == NULL) {
		snprintf(err, errlen, "no key file");
		return -1;
	}
	if (read_file(path, &b, &n, err, errlen) < 0)
		return -1;
	int rc = load_as(ks, path, b, n, f, err, errlen);
	kf_wipe(b, n);
	free(b);
	return rc;
}

int
keys_load_file(struct kx_store *ks, const char *path, char *err, size_t errlen)
{
	return load_file_as(ks, path, KF_UNKNOWN, err, errlen);
}

struct kx_store *
keys_load(const struct cli *c, char *err, size_t errlen)
{
	struct kx_store *ks = keys_new();
	if (ks == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (unsigned i = 0; c != NULL && i < c->nkeys; i++)
		if (keys_load_file(ks, c->keys[i], err, errlen) < 0)
			goto fail;
	if (c != NULL && c->psk_file != NULL &&
	    load_file_as(ks, c->psk_file, KF_PSK, err, errlen) < 0)
		goto fail;
	if (c != NULL && c->psk != NULL) {
		fprintf(stderr,
			"ikelens: warning: --psk puts the secret on the command line, where "
			"ps shows it to every user of this machine; prefer --psk-file\n");
		size_t n = strlen(c->psk);
		if (n == 0 || n > sizeof ks->psk[0].secret) {
			snprintf(err, errlen, "--psk: the secret is %zu bytes (expected 1 to %zu)",
				 n, sizeof ks->psk[0].secret);
			goto fail;
		}
		/* taken literally: no quotes or 0x forms on the command line */
		struct kx_psk p;
		memset(&p, 0, sizeof p);
		memcpy(p.secret, c->psk, n);
		p.len = (uint16_t)n;
		struct kf_src *s = calloc(1, sizeof *s);
		if (s == NULL) {
			kf_wipe(&p, sizeof p);
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		s->ks = ks;
		s->name = "--psk";
		s->err = err;
		s->errlen = errlen;
		int rc = kf_add_psk(s, 0, &p);
		kf_wipe(&p, sizeof p);
		free(s);
		if (rc < 0)
			goto fail;
	}
	return ks;
fail:
	keys_free(ks);
	return NULL;
}

/* ---- lookups -------------------------------------------------------------- */

const struct kx_ike1 *
keys_ike1(const struct kx_store *ks, const uint8_t icookie[8], const uint8_t rcookie[8])
{
	if (ks == NULL || icookie == NULL)
		return NULL;
	bool any = rcookie == NULL || kf_all_zero(rcookie, 8);
	const struct kx_ike1 *loose = NULL;
	for (unsigned i = 0; i < ks->nike1; i++) {
		const struct kx_ike1 *x = &ks->ike1[i];
		if (memcmp(x->icookie, icookie, 8) != 0)
			continue;
		if (any || !x->have_rcookie) {
			if (loose == NULL)
				loose = x;
			continue;
		}
		if (memcmp(x->rcookie, rcookie, 8) == 0)
			return x;
	}
	return loose;
}

const struct kx_ike2 *
keys_ike2(const struct kx_store *ks, const uint8_t spii[8], const uint8_t spir[8])
{
	if (ks == NULL || spii == NULL)
		return NULL;
	bool any = spir == NULL || kf_all_zero(spir, 8);
	const struct kx_ike2 *loose = NULL;
	for (unsigned i = 0; i < ks->nike2; i++) {
		const struct kx_ike2 *x = &ks->ike2[i];
		if (memcmp(x->spii, spii, 8) != 0)
			continue;
		if (any || !x->have_spir) {
			if (loose == NULL)
				loose = x;
			continue;
		}
		if (memcmp(x->spir, spir, 8) == 0)
			return x;
	}
	return loose;
}

bool
keys_ike2_rekeyed(struct kx_store *ks, const uint8_t old_i[8], const uint8_t old_r[8],
		  const uint8_t new_i[8], const uint8_t new_r[8])
{
	const struct kx_ike2 *old = keys_ike2(ks, old_i, old_r);
	if (!old || keys_ike2(ks, new_i, new_r))
		return false;
	int parent = (int)(old - ks->ike2);
	for (unsigned i = 0; i < ks->nike2; i++) {
		struct kx_ike2 *x = &ks->ike2[i];
		if (!x->rekey_pending || x->rekey_parent != parent)
			continue;
		memcpy(x->spii, new_i, 8);
		memcpy(x->spir, new_r, 8);
		x->have_spir = true;
		x->rekey_pending = false;
		return true;
	}
	return false;
}

static bool
q_compat(const struct addr *entry, const struct addr *q)
{
	return entry->af == 0 || q == NULL || q->af == 0 || addr_eq(entry, q);
}

/*
 * An ESP SA is found by SPI and addresses, a wildcard matching anything.
 * Then, because NAT rewrites the source a log or table saw, by SPI and
 * destination (RFC 4301 4.1: SPI and destination identify an SA); then by
 * SPI alone when exactly one SA has it (the capture was taken behind a NAT
 * that rewrote the destination too).  A wrong guess only fails to decrypt.
 */
const struct kx_esp *
keys_esp(const struct kx_store *ks, uint32_t spi, const struct addr *src, const struct addr *dst)
{
	if (ks == NULL)
		return NULL;
	const struct kx_esp *by_dst = NULL, *only = NULL;
	unsigned nspi = 0;
	for (unsigned i = 0; i < ks->nesp; i++) {
		const struct kx_esp *x = &ks->esp[i];
		if (x->spi != spi)
			continue;
		if (q_compat(&x->src, src) && q_compat(&x->dst, dst))
			return x;
		if (by_dst == NULL && q_compat(&x->dst, dst))
			by_dst = x;
		nspi++;
		only = x;
	}
	if (by_dst)
		return by_dst;
	return nspi == 1 ? only : NULL;
}

const struct kx_psk *
keys_psk(const struct kx_store *ks, const struct addr *peer, const char *id, unsigned nth)
{
	if (ks == NULL)
		return NULL;
	/* identity first, then address, then keys for any peer */
	for (int pass = 0; pass < 3; pass++)
		for (unsigned i = 0; i < ks->npsk; i++) {
			const struct kx_psk *x = &ks->psk[i];
			bool m;
			if (pass == 0)
				m = id != NULL && id[0] && x->id[0] && strcmp(x->id, id) == 0;
			else if (pass == 1)
				m = peer != NULL && peer->af && x->peer.af &&
				    addr_eq(&x->peer, peer);
			else
				m = x->peer.af == 0 && x->id[0] == '\0';
			if (m && nth-- == 0)
				return x;
		}
	return NULL;
}

const struct kx_dhpriv *
keys_dhpriv(const struct kx_store *ks, const struct addr *a, uint16_t group, unsigned nth)
{
	if (ks == NULL)
		return NULL;
	for (unsigned i = 0; i < ks->ndhpriv; i++) {
		const struct kx_dhpriv *x = &ks->dhpriv[i];
		if (x->group != group || !q_compat(&x->addr, a))
			continue;
		if (nth-- == 0)
			return x;
	}
	return NULL;
}

/* ---- summary ---------------------------------------------------------------- */

static void
add_count(char *buf, size_t len, size_t *o, unsigned n, const char *one, const char *many)
{
	if (n == 0 || *o >= len)
		return;
	int k = snprintf(buf + *o, len - *o, "%s%u %s", *o ? ", " : "", n, n == 1 ? one : many);
	if (k > 0)
		*o += (size_t)k;
}

void
keys_summary(const struct kx_store *ks, char *buf, size_t len)
{
	size_t o = 0;
	if (buf == NULL || len == 0)
		return;
	buf[0] = '\0';
	if (ks == NULL) {
		snprintf(buf, len, "no keys");
		return;
	}
	add_count(buf, len, &o, ks->nike1, "IKEv1 SA", "IKEv1 SAs");
	add_count(buf, len, &o, ks->nike2, "IKEv2 SA", "IKEv2 SAs");
	add_count(buf, len, &o, ks->nesp, "ESP SA", "ESP SAs");
	add_count(buf, len, &o, ks->npsk, "PSK", "PSKs");
	add_count(buf, len, &o, ks->ndhpriv, "DH private value", "DH private values");
	if (o == 0)
		o = (size_t)snprintf(buf, len, "no keys");
	if (o < len)
		snprintf(buf + o, len - o, " from %u %s", ks->files,
			 ks->files == 1 ? "file" : "files");
}
