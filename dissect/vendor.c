/*
 * vendor.c - naming IKE vendor ID payloads (vendor.h).
 *
 * The known IDs live in vendor.def, sorted by their bytes.  A lookup is a
 * binary search for the greatest entry that sorts at or below the ID.  If
 * that entry is a prefix of the ID it is the longest one (anything sorting
 * between a prefix of the ID and the ID itself extends that prefix), so it
 * wins if its kind allows the match (exact: same length; prefix: the ID is
 * at least min_len bytes).  Otherwise the search repeats with the ID cut to
 * what it shares with the entry found, or to one byte less than a prefix
 * that could not match; the key shrinks every round.
 *
 * The bytes after a prefix often carry a version; one decoder per family
 * turns them into the display text.  Decoders only read inside the ID, write
 * only printable ASCII and never allocate.
 *
 * Flags follow what the analysis can rely on.  VIDF_NATT and natt_version are
 * set for draft-ietf-ipsec-nat-t-ike-00..09 and RFC 3947 only: the other NAT
 * traversal IDs (Stenberg, Huttunen/ESPThruNAT, Apple's unnumbered draft,
 * "Testing NAT-T RFC", Solaris' "RFC XXXX") have no flavour number in
 * vendor.h and do not say how payload 15 is to be read, so they are named
 * but not flagged.  VIDF_GSS marks the GSS-API IDs, not MS NT5 ISAKMPOAKLEY,
 * which every Windows peer sends, IKEv2 ones included.
 */
#include "dissect/vendor.h"

#include <stdio.h>
#include <string.h>

/* How the bytes after a prefix (or the ID itself) become display text. */
enum vid_decode {
	VD_NONE,       /* the entry's name */
	VD_DPD,	       /* RFC 3706: major, minor in bytes 14, 15 */
	VD_UNITY,      /* Cisco Unity: major, minor in bytes 14, 15 */
	VD_FRAG,       /* IKE fragmentation: optional 32-bit capability flags */
	VD_MSNT5,      /* MS NT5 ISAKMPOAKLEY: 32-bit version -> Windows release */
	VD_KEYMODS,    /* Microsoft KEY_MODS: 32-bit keying module */
	VD_AUTHIPKE,   /* Microsoft AuthIP initiator KE: 32-bit DH group index */
	VD_CHECKPOINT, /* Check Point: product and version words after 20 bytes */
	VD_CISCO3K,    /* Cisco VPN 3000: major, minor in bytes 14, 15 */
	VD_FORTIGATE,  /* FortiGate: 16-bit release and build after 12 bytes */
	VD_SAFENET,    /* SafeNet SoftRemote: length-prefixed version text */
	VD_NORTEL,     /* Nortel Contivity: 32-bit version after "BNES" */
	VD_ELVIS,      /* ELVIS-PLUS Zastava: major|minor nibbles in byte 20 */
	VD_ASCIITAIL,  /* the name, then the readable text after the prefix */
	VD_HEXTAIL,    /* the name, then the bytes after the prefix in hex */
};

struct vid_entry {
	const char *id;	 /* the bytes to compare (may contain NUL) */
	uint8_t len;	 /* bytes in id */
	uint8_t min_len; /* prefix entries: shortest ID that matches */
	uint8_t prefix;	 /* 1: prefix entry, 0: exact entry */
	uint8_t decode;	 /* enum vid_decode */
	struct vid_info info;
};

#define VID_EXACT(s, name, family, flags, natt, dec)                                               \
	{(s), sizeof(s) - 1, sizeof(s) - 1, 0, (dec), {(name), (family), (flags), (natt)}},
#define VID_PREFIX(s, min_len, name, family, flags, natt, dec)                                     \
	{(s), sizeof(s) - 1, (min_len), 1, (dec), {(name), (family), (flags), (natt)}},

static const struct vid_entry vid_table[] = {
#include "dissect/vendor.def"
};

#undef VID_EXACT
#undef VID_PREFIX

#define VID_TABLE_LEN (sizeof(vid_table) / sizeof(vid_table[0]))

/*
 * A 20-byte FRAGMENTATION ID whose flags lack 0x80000000 announces
 * fragmentation of other exchanges only, not of main or aggressive mode
 * (racoon's reading, which strongSwan follows), so it does not count as
 * phase-1 fragmentation support.
 */
static const struct vid_info frag_other_info = {"IKE fragmentation (not phase 1)", NULL, 0, 0};

size_t
vid_count(void)
{
	return VID_TABLE_LEN;
}

/* memcmp order; a prefix sorts before its extensions. */
static int
key_cmp(const uint8_t *key, size_t klen, const struct vid_entry *e)
{
	size_t n = klen < e->len ? klen : e->len;
	int c = memcmp(key, e->id, n);

	if (c != 0)
		return c;
	if (klen == e->len)
		return 0;
	return klen < e->len ? -1 : 1;
}

/* Index + 1 of the greatest entry <= key, 0 if none. */
static size_t
floor_entry(const uint8_t *key, size_t klen)
{
	size_t lo = 0, hi = VID_TABLE_LEN;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (key_cmp(key, klen, &vid_table[mid]) < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static size_t
common_len(const uint8_t *key, size_t klen, const struct vid_entry *e)
{
	size_t n = klen < e->len ? klen : e->len, i;

	for (i = 0; i < n && key[i] == (uint8_t)e->id[i]; i++)
		;
	return i;
}

static const struct vid_entry *
vid_find(const uint8_t *vid, size_t len)
{
	size_t klen = len;

	while (klen > 0) {
		size_t at = floor_entry(vid, klen);
		const struct vid_entry *e;
		size_t common;

		if (at == 0)
			return NULL;
		e = &vid_table[at - 1];
		common = common_len(vid, klen, e);
		if (common < e->len) {
			klen = common; /* a prefix of the ID is no longer than this */
			continue;
		}
		if (e->prefix ? len >= e->min_len : len == e->len)
			return e;
		klen = e->len - 1; /* only a shorter prefix can still match */
	}
	return NULL;
}

/* Display text under construction: always NUL-terminated, truncates quietly. */
struct text {
	char *buf;
	size_t cap;
	size_t n;
};

static void
text_char(struct text *t, char c)
{
	if (t->cap == 0 || t->n + 1 >= t->cap)
		return;
	t->buf[t->n++] = c;
	t->buf[t->n] = '\0';
}

static void
text_str(struct text *t, const char *s)
{
	for (; *s; s++)
		text_char(t, (*s >= 0x20 && *s < 0x7f) ? *s : '.');
}

static void
text_uint(struct text *t, uint32_t v)
{
	char num[11];

	snprintf(num, sizeof(num), "%lu", (unsigned long)v);
	text_str(t, num);
}

static void
text_hex(struct text *t, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		text_char(t, digits[p[i] >> 4]);
		text_char(t, digits[p[i] & 0x0f]);
	}
}

/* Readable bytes, trailing NULs dropped, anything unprintable as '.'. */
static void
text_ascii(struct text *t, const uint8_t *p, size_t n)
{
	while (n > 0 && p[n - 1] == 0)
		n--;
	for (size_t i = 0; i < n; i++)
		text_char(t, (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '.');
}

static uint32_t
be16_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t
be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* "name major.minor" from two version bytes. */
static void
text_name_version(struct text *t, const char *name, uint8_t major, uint8_t minor)
{
	text_str(t, name);
	text_char(t, ' ');
	text_uint(t, major);
	text_char(t, '.');
	text_uint(t, minor);
}

/*
 * MS-IKEE: "MS NT5 ISAKMPOAKLEY" is followed by a 32-bit version.  Windows
 * 8 and everything after it so far send 9.
 */
static const char *
msnt5_release(uint32_t v)
{
	switch (v) {
	case 2:
		return "Windows 2000";
	case 3:
		return "Windows XP SP1";
	case 4:
		return "Windows Server 2003 or XP SP2";
	case 5:
		return "Windows Vista";
	case 6:
		return "Windows Server 2008";
	case 7:
		return "Windows 7";
	case 8:
		return "Windows Server 2008 R2";
	case 9:
		return "Windows 8 or later";
	default:
		return NULL;
	}
}

static void
decode_msnt5(struct text *t, const struct vid_entry *e, const uint8_t *vid, size_t len)
{
	uint32_t v;
	const char *rel;

	text_str(t, e->info.name);
	if (len < 20)
		return;
	v = be32_at(vid + 16);
	text_str(t, " v");
	text_uint(t, v);
	rel = msnt5_release(v);
	if (rel) {
		text_str(t, " (");
		text_str(t, rel);
		text_char(t, ')');
	}
}

static void
decode_keymods(struct text *t, const struct vid_entry *e, const uint8_t *vid)
{
	static const char *const mods[] = {"IKE", "AuthIP", "IKEv2"};
	uint32_t v = be32_at(vid + 16);

	text_str(t, e->info.name);
	text_str(t, " (");
	if (v < sizeof(mods) / sizeof(mods[0])) {
		text_str(t, mods[v]);
	} else {
		text_str(t, "module ");
		text_uint(t, v);
	}
	text_char(t, ')');
}

static void
decode_authipke(struct text *t, const struct vid_entry *e, const uint8_t *vid)
{
	static const char *const groups[] = {"no DH", "DH1",  "DH2",  "DH14",
					     "DH19",  "DH20", "DH21", "DH max"};
	uint32_t v = be32_at(vid + 16);

	text_str(t, e->info.name);
	text_str(t, " (");
	if (v < sizeof(groups) / sizeof(groups[0])) {
		text_str(t, groups[v]);
	} else {
		text_str(t, "group index ");
		text_uint(t, v);
	}
	text_char(t, ')');
}

/*
 * Check Point: 20 fixed bytes, then 32-bit product, version, a word that is
 * zero before NGX, a reserved word and feature bits (ike-scan's layout).
 */
static const char *
checkpoint_version(uint32_t v, int ngx)
{
	switch (v) {
	case 2:
		return "4.1";
	case 3:
		return "4.1 SP1";
	case 4002:
		return "4.1 SP2 or later";
	case 5000:
		return "NG";
	case 5001:
		return "NG FP1";
	case 5002:
		return "NG FP2";
	case 5003:
		return "NG FP3";
	case 5004:
		return "NG AI R54";
	case 5005:
		return ngx ? "NGX" : "NG AI R55";
	case 5006:
		return "NG AI R56";
	default:
		return NULL;
	}
}

static void
decode_checkpoint(struct text *t, const struct vid_entry *e, const uint8_t *vid, size_t len)
{
	uint32_t product, version;
	const char *vname;
	int ngx;

	text_str(t, e->info.name);
	if (len < 28)
		return;
	product = be32_at(vid + 20);
	version = be32_at(vid + 24);
	ngx = len >= 32 && be32_at(vid + 28) != 0;
	vname = checkpoint_version(version, ngx);
	if ((product == 1 || product == 2) && vname) {
		text_str(t, product == 1 ? " Firewall-1 " : " SecuRemote/SecureClient ");
		text_str(t, vname);
		return;
	}
	text_str(t, " (product ");
	text_uint(t, product);
	text_str(t, ", version ");
	text_uint(t, version);
	text_char(t, ')');
}

static void
decode_safenet(struct text *t, const struct vid_entry *e, const uint8_t *vid, size_t len)
{
	text_str(t, e->info.name);
	/* 16 bytes of hash, 8 bytes of flags, a length byte, the version text */
	if (len > 25 && (size_t)vid[24] <= len - 25) {
		text_char(t, ' ');
		text_ascii(t, vid + 25, vid[24]);
	}
}

static void
decode_tail(struct text *t, const struct vid_entry *e, const uint8_t *vid, size_t len)
{
	const uint8_t *p = vid + e->len;
	size_t n = len - e->len;

	text_str(t, e->info.name);
	if (e->decode == VD_HEXTAIL) {
		if (n == 0)
			return;
		text_str(t, " [");
		text_hex(t, p, n > 16 ? 16 : n);
		text_str(t, n > 16 ? "...]" : "]");
		return;
	}
	while (n > 0 && *p == ' ') {
		p++;
		n--;
	}
	while (n > 0 && p[n - 1] == 0)
		n--;
	if (n > 0) {
		text_char(t, ' ');
		text_ascii(t, p, n);
	}
}

static void
decode(struct text *t, const struct vid_entry *e, const uint8_t *vid, size_t len)
{
	switch ((enum vid_decode)e->decode) {
	case VD_DPD:
	case VD_UNITY:
	case VD_CISCO3K:
		/*
		 * Two version bytes after 14.  libreswan and nmap read the
		 * concentrator's 04 07 as 4.0.7; the VPN 3000 releases were 3.0,
		 * 3.1, 3.5, 3.6, 4.0, 4.1 and 4.7, so major.minor fits better.
		 */
		text_name_version(t, e->info.name, vid[14], vid[15]);
		return;
	case VD_FRAG:
		text_str(t, e->info.name);
		if (len >= 20) {
			text_str(t, " (flags 0x");
			text_hex(t, vid + 16, 4);
			text_char(t, ')');
		}
		return;
	case VD_MSNT5:
		decode_msnt5(t, e, vid, len);
		return;
	case VD_KEYMODS:
		decode_keymods(t, e, vid);
		return;
	case VD_AUTHIPKE:
		decode_authipke(t, e, vid);
		return;
	case VD_CHECKPOINT:
		decode_checkpoint(t, e, vid, len);
		return;
	case VD_FORTIGATE:
		text_str(t, e->info.name);
		text_str(t, " (release ");
		text_uint(t, be16_at(vid + 12));
		text_str(t, ", build ");
		text_uint(t, be16_at(vid + 14));
		text_char(t, ')');
		return;
	case VD_SAFENET:
		decode_safenet(t, e, vid, len);
		return;
	case VD_NORTEL:
		text_str(t, e->info.name);
		text_str(t, " (version ");
		text_uint(t, be32_at(vid + 4));
		text_char(t, ')');
		return;
	case VD_ELVIS:
		if (len > 20) {
			text_name_version(t, e->info.name, (uint8_t)(vid[20] >> 4),
					  (uint8_t)(vid[20] & 0x0f));
			return;
		}
		break;
	case VD_ASCIITAIL:
	case VD_HEXTAIL:
		decode_tail(t, e, vid, len);
		return;
	case VD_NONE:
		break;
	}
	text_str(t, e->info.name);
}

const struct vid_info *
vid_lookup(const uint8_t *vid, size_t len, char *text, size_t textlen)
{
	struct text t = {text, text ? textlen : 0, 0};
	const struct vid_entry *e;

	if (t.cap > 0)
		t.buf[0] = '\0';
	if (vid == NULL || len == 0)
		return NULL;
	e = vid_find(vid, len);
	if (e == NULL)
		return NULL;
	if (e->decode == VD_FRAG && len >= 20 && !(vid[16] & 0x80)) {
		struct vid_entry other = *e;

		other.info = frag_other_info;
		decode(&t, &other, vid, len);
		return &frag_other_info;
	}
	decode(&t, e, vid, len);
	return &e->info;
}
