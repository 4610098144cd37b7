/*
 * names.c - enumerated protocol values and their names (tables in names.def),
 * the algorithm facts name lookups cannot give, Wireshark's key-table strings,
 * and the IKEv1 -> IKEv2 algorithm id mappings.
 *
 * Lookups run on the hot path of the one-line output: every table is a const
 * array sorted by value (the unit test checks that) searched by bisection.
 */
#include "dissect/names.h"

#include <string.h>

struct nt_entry {
	uint32_t value;
	const char *name;	/* contract name */
	const char *short_name; /* NULL: same as name */
};

struct nt_table {
	const struct nt_entry *entries;
	size_t count;
	const char *desc;
};

/* clang-format off */
#define NT_BEGIN(tab, id, desc) static const struct nt_entry id##_entries[] = {
#define NT_E(v, n, s) {(v), (n), (s)},
#define NT_END(tab, id) };
/* clang-format on */
#include "dissect/names.def"
#undef NT_BEGIN
#undef NT_E
#undef NT_END

#define NT_BEGIN(tab, id, desc)                                                                    \
	[tab] = {id##_entries, sizeof(id##_entries) / sizeof(id##_entries[0]), (desc)},
#define NT_E(v, n, s)
#define NT_END(tab, id)
static const struct nt_table tables[NT_COUNT] = {
#include "dissect/names.def"
};
#undef NT_BEGIN
#undef NT_E
#undef NT_END

/* names.def must define each table once: count its NT_BEGIN lines. */
#define NT_BEGIN(tab, id, desc) nt_defined_##id,
#define NT_E(v, n, s)
#define NT_END(tab, id)
enum {
#include "dissect/names.def"
	nt_defined_tables
};
#undef NT_BEGIN
#undef NT_E
#undef NT_END
_Static_assert((int)nt_defined_tables == (int)NT_COUNT,
	       "names.def must define every enum nt table");

static const struct nt_entry *
nt_find(enum nt table, uint32_t value)
{
	const struct nt_table *t;
	size_t lo = 0, hi;

	if ((size_t)table >= (size_t)NT_COUNT)
		return NULL;
	t = &tables[table];
	hi = t->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t v = t->entries[mid].value;

		if (v == value)
			return &t->entries[mid];
		if (v < value)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *
nt_name(enum nt table, uint32_t value)
{
	const struct nt_entry *e = nt_find(table, value);

	return e ? e->name : NULL;
}

const char *
nt_short(enum nt table, uint32_t value)
{
	const struct nt_entry *e = nt_find(table, value);

	if (e == NULL)
		return NULL;
	return e->short_name ? e->short_name : e->name;
}

const char *
nt_table_name(enum nt table)
{
	if ((size_t)table >= (size_t)NT_COUNT)
		return NULL;
	return tables[table].desc;
}

/*
 * IKEv2 ENCR ids: IV on the wire, cipher block, AEAD ICV, salt taken from the
 * keying material after the key, and the key length of fixed-key ciphers.
 * Sources: RFC 2405/2451 (DES, 3DES, CAST, Blowfish, RC5, IDEA: 8-byte block
 * and IV), RFC 3602 (AES-CBC), RFC 3686/5930 (AES-CTR: 8-byte IV, 4-byte
 * nonce), RFC 4309/5282 (CCM: 8-byte IV, 3-byte salt), RFC 4106/5282 (GCM:
 * 8-byte IV, 4-byte salt), RFC 4543 (NULL_AUTH_AES_GMAC: 8-byte IV, 16-byte
 * ICV, 4-byte salt), RFC 5529 (Camellia), RFC 7634 (ChaCha20-Poly1305: 8-byte
 * IV, 16-byte tag, 4-byte salt, 256-bit key), RFC 8750 (the _IIV variants
 * send no IV).  block_len is the cipher's own block: 1 for CTR and the AEAD
 * modes; ESP's 4-byte alignment is the caller's business.
 * XXX The GOST MGM transforms (32-35, RFC 9227) are left out: their salt and
 * KTREE rekeying are not modelled here.
 */
struct encr_fact {
	uint32_t id;
	struct nt_encr_info info; /* iv, block, icv, salt, fixed key bits, aead */
};

static const struct encr_fact encr_facts[] = {
    {1, {8, 8, 0, 0, 64, false}},   /* ENCR_DES_IV64 */
    {2, {8, 8, 0, 0, 64, false}},   /* ENCR_DES */
    {3, {8, 8, 0, 0, 192, false}},  /* ENCR_3DES */
    {4, {8, 8, 0, 0, 0, false}},    /* ENCR_RC5: variable key */
    {5, {8, 8, 0, 0, 128, false}},  /* ENCR_IDEA */
    {6, {8, 8, 0, 0, 0, false}},    /* ENCR_CAST: CAST-128, variable key */
    {7, {8, 8, 0, 0, 0, false}},    /* ENCR_BLOWFISH: variable key */
    {9, {4, 8, 0, 0, 64, false}},   /* ENCR_DES_IV32 (RFC 1827: 32-bit IV) */
    {11, {0, 1, 0, 0, 0, false}},   /* ENCR_NULL (RFC 2410: block size 1) */
    {12, {16, 16, 0, 0, 0, false}}, /* ENCR_AES_CBC */
    {13, {8, 1, 0, 4, 0, false}},   /* ENCR_AES_CTR */
    {14, {8, 1, 8, 3, 0, true}},    /* ENCR_AES_CCM_8 */
    {15, {8, 1, 12, 3, 0, true}},   /* ENCR_AES_CCM_12 */
    {16, {8, 1, 16, 3, 0, true}},   /* ENCR_AES_CCM_16 */
    {18, {8, 1, 8, 4, 0, true}},    /* ENCR_AES_GCM_8 */
    {19, {8, 1, 12, 4, 0, true}},   /* ENCR_AES_GCM_12 */
    {20, {8, 1, 16, 4, 0, true}},   /* ENCR_AES_GCM_16 */
    {21, {8, 1, 16, 4, 0, true}},   /* ENCR_NULL_AUTH_AES_GMAC: combined mode */
    {23, {16, 16, 0, 0, 0, false}}, /* ENCR_CAMELLIA_CBC */
    {24, {8, 1, 0, 4, 0, false}},   /* ENCR_CAMELLIA_CTR */
    {25, {8, 1, 8, 3, 0, true}},    /* ENCR_CAMELLIA_CCM_8 */
    {26, {8, 1, 12, 3, 0, true}},   /* ENCR_CAMELLIA_CCM_12 */
    {27, {8, 1, 16, 3, 0, true}},   /* ENCR_CAMELLIA_CCM_16 */
    {28, {8, 1, 16, 4, 256, true}}, /* ENCR_CHACHA20_POLY1305 */
    {29, {0, 1, 8, 3, 0, true}},    /* ENCR_AES_CCM_8_IIV */
    {30, {0, 1, 16, 4, 0, true}},   /* ENCR_AES_GCM_16_IIV */
    {31, {0, 1, 16, 4, 256, true}}, /* ENCR_CHACHA20_POLY1305_IIV */
};

bool
nt_v2_encr_info(uint32_t encr_id, struct nt_encr_info *out)
{
	for (size_t i = 0; i < sizeof(encr_facts) / sizeof(encr_facts[0]); i++)
		if (encr_facts[i].id == encr_id) {
			if (out)
				*out = encr_facts[i].info;
			return true;
		}
	return false;
}

/*
 * IKEv2 INTEG ids: ICV (truncated output) and key length in bytes.  RFC
 * 2403/2404 (HMAC-MD5/SHA1-96: key = digest size), RFC 3566 (AES-XCBC-96),
 * RFC 4595 (MD5-128, SHA1-160), RFC 4494 (AES-CMAC-96), RFC 4543 (GMAC: 16-byte
 * ICV; the key length here counts the 4-byte salt, see names.h), RFC 4868
 * (SHA-2: ICV half the digest, key the digest size), RFC 2857 (RIPEMD-160-96).
 * DES-MAC and KPDK-MD5 are left out: obsolete and undefined for IKEv2.
 */
struct integ_fact {
	uint32_t id;
	uint16_t icv_len, key_len;
};

static const struct integ_fact integ_facts[] = {
    {0, 0, 0},				 /* NONE */
    {1, 12, 16},			 /* AUTH_HMAC_MD5_96 */
    {2, 12, 20},			 /* AUTH_HMAC_SHA1_96 */
    {5, 12, 16},			 /* AUTH_AES_XCBC_96 */
    {6, 16, 16},			 /* AUTH_HMAC_MD5_128 */
    {7, 20, 20},			 /* AUTH_HMAC_SHA1_160 */
    {8, 12, 16},			 /* AUTH_AES_CMAC_96 */
    {9, 16, 16 + 4},			 /* AUTH_AES_128_GMAC */
    {10, 16, 24 + 4},			 /* AUTH_AES_192_GMAC */
    {11, 16, 32 + 4},			 /* AUTH_AES_256_GMAC */
    {12, 16, 32},			 /* AUTH_HMAC_SHA2_256_128 */
    {13, 24, 48},			 /* AUTH_HMAC_SHA2_384_192 */
    {14, 32, 64},			 /* AUTH_HMAC_SHA2_512_256 */
    {NT_INTEG_HMAC_SHA2_256_96, 12, 32}, /* draft-ietf-ipsec-ciph-sha-256-00 */
    {NT_INTEG_HMAC_RIPEMD160_96, 12, 20},
};

bool
nt_v2_integ_info(uint32_t integ_id, uint16_t *icv_len, uint16_t *key_len)
{
	uint16_t icv = 0, key = 0;
	bool found = false;

	for (size_t i = 0; i < sizeof(integ_facts) / sizeof(integ_facts[0]); i++)
		if (integ_facts[i].id == integ_id) {
			icv = integ_facts[i].icv_len;
			key = integ_facts[i].key_len;
			found = true;
			break;
		}
	/* "any n bits, unchecked": whole bytes, as Wireshark offers them */
	if (!found && integ_id > NT_INTEG_ANY_BASE && integ_id <= NT_INTEG_ANY(512) &&
	    (integ_id - NT_INTEG_ANY_BASE) % 8 == 0) {
		icv = (uint16_t)((integ_id - NT_INTEG_ANY_BASE) / 8);
		found = true;
	}
	if (!found)
		return false;
	if (icv_len)
		*icv_len = icv;
	if (key_len)
		*key_len = key;
	return true;
}

/*
 * Wireshark's key-table algorithm strings.  Facts (the strings and what they
 * stand for) from Wireshark's epan/dissectors/packet-isakmp.c and
 * packet-ipsec.c; each string marked 4.0 was checked by loading it into
 * tshark 4.0.17's ikev2_decryption_table / esp_sa.
 *  - alias: accepted on import, never written (the reverse functions skip it).
 *  - key_bits: the key length the string fixes, 0 if it does not.
 */
struct ws_alg {
	const char *str;
	uint32_t id;
	uint16_t key_bits;
	bool alias;
};

/* IKEv2 table, encryption column (vs_ikev2_encr_algs; unchanged since 4.0).
 * "3DES" and "NULL" fix no length: nt_v2_encr_info() knows 3DES is 192. */
static const struct ws_alg ws_ikev2_encr[] = {
    {"NULL [RFC2410]", 11, 0, false},
    {"3DES [RFC2451]", 3, 0, false},
    {"AES-CBC-128 [RFC3602]", 12, 128, false},
    {"AES-CBC-192 [RFC3602]", 12, 192, false},
    {"AES-CBC-256 [RFC3602]", 12, 256, false},
    {"AES-CTR-128 [RFC5930]", 13, 128, false},
    {"AES-CTR-192 [RFC5930]", 13, 192, false},
    {"AES-CTR-256 [RFC5930]", 13, 256, false},
    {"AES-GCM-128 with 8 octet ICV [RFC5282]", 18, 128, false},
    {"AES-GCM-192 with 8 octet ICV [RFC5282]", 18, 192, false},
    {"AES-GCM-256 with 8 octet ICV [RFC5282]", 18, 256, false},
    {"AES-GCM-128 with 12 octet ICV [RFC5282]", 19, 128, false},
    {"AES-GCM-192 with 12 octet ICV [RFC5282]", 19, 192, false},
    {"AES-GCM-256 with 12 octet ICV [RFC5282]", 19, 256, false},
    {"AES-GCM-128 with 16 octet ICV [RFC5282]", 20, 128, false},
    {"AES-GCM-192 with 16 octet ICV [RFC5282]", 20, 192, false},
    {"AES-GCM-256 with 16 octet ICV [RFC5282]", 20, 256, false},
    {"AES-CCM-128 with 8 octet ICV [RFC5282]", 14, 128, false},
    {"AES-CCM-192 with 8 octet ICV [RFC5282]", 14, 192, false},
    {"AES-CCM-256 with 8 octet ICV [RFC5282]", 14, 256, false},
    {"AES-CCM-128 with 12 octet ICV [RFC5282]", 15, 128, false},
    {"AES-CCM-192 with 12 octet ICV [RFC5282]", 15, 192, false},
    {"AES-CCM-256 with 12 octet ICV [RFC5282]", 15, 256, false},
    {"AES-CCM-128 with 16 octet ICV [RFC5282]", 16, 128, false},
    {"AES-CCM-192 with 16 octet ICV [RFC5282]", 16, 192, false},
    {"AES-CCM-256 with 16 octet ICV [RFC5282]", 16, 256, false},
};

/* IKEv2 table, integrity column (vs_ikev2_auth_algs; unchanged since 4.0). */
static const struct ws_alg ws_ikev2_integ[] = {
    {"NONE [RFC4306]", 0, 0, false},
    {"HMAC_MD5_96 [RFC2403]", 1, 0, false},
    {"HMAC_SHA1_96 [RFC2404]", 2, 0, false},
    {"HMAC_MD5_128 [RFC4595]", 6, 0, false},
    {"HMAC_SHA1_160 [RFC4595]", 7, 0, false},
    {"HMAC_SHA2_256_128 [RFC4868]", 12, 0, false},
    {"HMAC_SHA2_384_192 [RFC4868]", 13, 0, false},
    {"HMAC_SHA2_512_256 [RFC4868]", 14, 0, false},
    {"HMAC_SHA2_256_96 [draft-ietf-ipsec-ciph-sha-256-00]", NT_INTEG_HMAC_SHA2_256_96, 0, false},
    {"ANY 64-bits of Authentication [No Checking]", NT_INTEG_ANY(64), 0, false},
    {"ANY 96-bits of Authentication [No Checking]", NT_INTEG_ANY(96), 0, false},
    {"ANY 128-bits of Authentication [No Checking]", NT_INTEG_ANY(128), 0, false},
    {"ANY 160-bits of Authentication [No Checking]", NT_INTEG_ANY(160), 0, false},
    {"ANY 192-bits of Authentication [No Checking]", NT_INTEG_ANY(192), 0, false},
    {"ANY 256-bits of Authentication [No Checking]", NT_INTEG_ANY(256), 0, false},
};

/*
 * esp_sa, encryption column (esp_encryption_type_vals).  The key length comes
 * from the key itself.  Not every string is in every 4.x:
 *  - tshark 4.0.17 accepts up to "AES-GCM with 16 octet ICV"; the IIV and
 *    ChaCha20 strings are in current Wireshark only (4.0.17 rejects them).
 *  - "AES-GCM [RFC4106]" is Wireshark's ICV-less GCM entry, and what
 *    strongSwan's save-keys plugin writes for every GCM variant, putting the
 *    ICV length in the integrity column ("ANY 64/128 bit authentication").
 *    It is mapped to ENCR_AES_GCM_16, the common case; a caller that wants to
 *    honour the integrity column may narrow it.
 *  - "TripleDes-CBC [RFC2451]" is strongSwan's misspelling (tshark rejects
 *    it); accepted so that its files import.
 *  - "TWOFISH-CBC" has no IANA ENCR id and is not accepted.
 */
static const struct ws_alg ws_esp_encr[] = {
    {"NULL", 11, 0, false},
    {"TripleDES-CBC [RFC2451]", 3, 0, false},
    {"AES-CBC [RFC3602]", 12, 0, false},
    {"AES-CTR [RFC3686]", 13, 0, false},
    {"DES-CBC [RFC2405]", 2, 0, false},
    {"CAST5-CBC [RFC2144]", 6, 0, false},
    {"BLOWFISH-CBC [RFC2451]", 7, 0, false},
    {"AES-GCM with 8 octet ICV [RFC4106]", 18, 0, false},
    {"AES-GCM with 12 octet ICV [RFC4106]", 19, 0, false},
    {"AES-GCM with 16 octet ICV [RFC4106]", 20, 0, false},
    {"AES-GCM with IIV and 16 octet ICV [RFC4106 & RFC8750]", 30, 0, false},
    {"ChaCha20 with Poly1305 [RFC7634]", 28, 0, false},
    {"ChaCha20 with Poly1305 and IIV [RFC7634 & RFC8750]", 31, 0, false},
    {"AES-GCM [RFC4106]", 20, 0, true},
    {"TripleDes-CBC [RFC2451]", 3, 0, true},
};

/* esp_sa, authentication column (esp_authentication_type_vals; the same in
 * 4.0 and current Wireshark).  There is no "ANY 160 bit" here. */
static const struct ws_alg ws_esp_integ[] = {
    {"NULL", 0, 0, false},
    {"HMAC-SHA-1-96 [RFC2404]", 2, 0, false},
    {"HMAC-SHA-256-96 [draft-ietf-ipsec-ciph-sha-256-00]", NT_INTEG_HMAC_SHA2_256_96, 0, false},
    {"HMAC-SHA-256-128 [RFC4868]", 12, 0, false},
    {"HMAC-SHA-384-192 [RFC4868]", 13, 0, false},
    {"HMAC-SHA-512-256 [RFC4868]", 14, 0, false},
    {"HMAC-MD5-96 [RFC2403]", 1, 0, false},
    {"MAC-RIPEMD-160-96 [RFC2857]", NT_INTEG_HMAC_RIPEMD160_96, 0, false},
    {"ANY 64 bit authentication [no checking]", NT_INTEG_ANY(64), 0, false},
    {"ANY 96 bit authentication [no checking]", NT_INTEG_ANY(96), 0, false},
    {"ANY 128 bit authentication [no checking]", NT_INTEG_ANY(128), 0, false},
    {"ANY 192 bit authentication [no checking]", NT_INTEG_ANY(192), 0, false},
    {"ANY 256 bit authentication [no checking]", NT_INTEG_ANY(256), 0, false},
};

#define WS_COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool
ws_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The string without surrounding blanks and one pair of double quotes. */
static void
ws_trim(const char *s, const char **start, size_t *len)
{
	const char *b = s, *e = s + strlen(s);

	while (b < e && ws_space(*b))
		b++;
	while (e > b && ws_space(e[-1]))
		e--;
	if (b < e && *b == '"') {
		b++;
		if (e > b && e[-1] == '"')
			e--;
		while (b < e && ws_space(*b))
			b++;
		while (e > b && ws_space(e[-1]))
			e--;
	}
	*start = b;
	*len = (size_t)(e - b);
}

static const struct ws_alg *
ws_lookup(const struct ws_alg *map, size_t n, const char *s)
{
	const char *p;
	size_t len;

	if (s == NULL)
		return NULL;
	ws_trim(s, &p, &len);
	for (size_t i = 0; i < n; i++)
		if (strlen(map[i].str) == len && memcmp(map[i].str, p, len) == 0)
			return &map[i];
	return NULL;
}

/* The string for an id; key_bits must match where the string fixes one. */
static const char *
ws_reverse(const struct ws_alg *map, size_t n, uint32_t id, uint16_t key_bits)
{
	for (size_t i = 0; i < n; i++)
		if (!map[i].alias && map[i].id == id &&
		    (map[i].key_bits == 0 || map[i].key_bits == key_bits))
			return map[i].str;
	return NULL;
}

static bool
ws_encr(const struct ws_alg *map, size_t n, const char *s, uint32_t *encr_id, uint16_t *key_bits)
{
	const struct ws_alg *a = ws_lookup(map, n, s);

	if (a == NULL)
		return false;
	if (encr_id)
		*encr_id = a->id;
	if (key_bits)
		*key_bits = a->key_bits;
	return true;
}

static bool
ws_integ(const struct ws_alg *map, size_t n, const char *s, uint32_t *integ_id)
{
	const struct ws_alg *a = ws_lookup(map, n, s);

	if (a == NULL)
		return false;
	if (integ_id)
		*integ_id = a->id;
	return true;
}

bool
nt_ws_ikev2_encr(const char *s, uint32_t *encr_id, uint16_t *key_bits)
{
	return ws_encr(ws_ikev2_encr, WS_COUNT(ws_ikev2_encr), s, encr_id, key_bits);
}

bool
nt_ws_ikev2_integ(const char *s, uint32_t *integ_id)
{
	return ws_integ(ws_ikev2_integ, WS_COUNT(ws_ikev2_integ), s, integ_id);
}

bool
nt_ws_esp_encr(const char *s, uint32_t *encr_id, uint16_t *key_bits)
{
	return ws_encr(ws_esp_encr, WS_COUNT(ws_esp_encr), s, encr_id, key_bits);
}

bool
nt_ws_esp_integ(const char *s, uint32_t *integ_id)
{
	return ws_integ(ws_esp_integ, WS_COUNT(ws_esp_integ), s, integ_id);
}

const char *
nt_ws_ikev2_encr_str(uint32_t encr_id, uint16_t key_bits)
{
	return ws_reverse(ws_ikev2_encr, WS_COUNT(ws_ikev2_encr), encr_id, key_bits);
}

const char *
nt_ws_ikev2_integ_str(uint32_t integ_id)
{
	return ws_reverse(ws_ikev2_integ, WS_COUNT(ws_ikev2_integ), integ_id, 0);
}

const char *
nt_ws_esp_encr_str(uint32_t encr_id, uint16_t key_bits)
{
	return ws_reverse(ws_esp_encr, WS_COUNT(ws_esp_encr), encr_id, key_bits);
}

const char *
nt_ws_esp_integ_str(uint32_t integ_id)
{
	return ws_reverse(ws_esp_integ, WS_COUNT(ws_esp_integ), integ_id, 0);
}

/* IKEv1 -> IKEv2 ids.  A pair list per mapping, values from the registries
 * of names.def. */
struct id_pair {
	uint32_t v1, v2;
};

static bool
map_id(const struct id_pair *map, size_t n, uint32_t v1, uint32_t *v2)
{
	for (size_t i = 0; i < n; i++)
		if (map[i].v1 == v1) {
			if (v2)
				*v2 = map[i].v2;
			return true;
		}
	return false;
}

/* Phase-1 encryption (ipsec-registry class 1) -> ENCR. */
static const struct id_pair v1_p1_encr_map[] = {
    {1, 2},  /* DES-CBC -> ENCR_DES */
    {2, 5},  /* IDEA-CBC -> ENCR_IDEA */
    {3, 7},  /* Blowfish-CBC -> ENCR_BLOWFISH */
    {4, 4},  /* RC5-R16-B64-CBC -> ENCR_RC5 */
    {5, 3},  /* 3DES-CBC -> ENCR_3DES */
    {6, 6},  /* CAST-CBC -> ENCR_CAST */
    {7, 12}, /* AES-CBC -> ENCR_AES_CBC */
    {8, 23}, /* CAMELLIA-CBC -> ENCR_CAMELLIA_CBC */
};

/* Phase-1 hash (class 2) -> the PRF that is HMAC with that hash (RFC 2409 4:
 * without a PRF attribute IKEv1 uses HMAC of the negotiated hash). */
static const struct id_pair v1_hash_map[] = {
    {1, 1}, /* MD5 -> PRF_HMAC_MD5 */
    {2, 2}, /* SHA -> PRF_HMAC_SHA1 */
    {3, 3}, /* Tiger -> PRF_HMAC_TIGER */
    {4, 5}, /* SHA2-256 -> PRF_HMAC_SHA2_256 */
    {5, 6}, /* SHA2-384 -> PRF_HMAC_SHA2_384 */
    {6, 7}, /* SHA2-512 -> PRF_HMAC_SHA2_512 */
};

/* ESP transform ids -> ENCR.  Equal up to 20; then IKEv1 21 is SEED (no IKEv2
 * id), 22 Camellia-CBC (IKEv2 23), 23 NULL_AUTH_AES-GMAC (IKEv2 21).  RC4 (10)
 * has no IKEv2 id. */
static const struct id_pair v1_esp_map[] = {
    {1, 1},   {2, 2},	{3, 3},	  {4, 4},   {5, 5},   {6, 6},	{7, 7},
    {8, 8},   {9, 9},	{11, 11}, {12, 12}, {13, 13}, {14, 14}, {15, 15},
    {16, 16}, {18, 18}, {19, 19}, {20, 20}, {22, 23}, {23, 21},
};

/* IPsec authentication algorithm (attribute 5) -> INTEG.  5-7 are RFC 4868's
 * truncations (128/192/256 bits), not the 96-bit SHA-256 of old KAME stacks.
 * SIG-RSA (10, RFC 4359) is a signature, not a MAC: no INTEG id. */
static const struct id_pair v1_p2_auth_map[] = {
    {1, 1},			     /* HMAC-MD5 -> AUTH_HMAC_MD5_96 */
    {2, 2},			     /* HMAC-SHA -> AUTH_HMAC_SHA1_96 */
    {3, 3},			     /* DES-MAC -> AUTH_DES_MAC */
    {4, 4},			     /* KPDK -> AUTH_KPDK_MD5 */
    {5, 12},			     /* HMAC-SHA2-256 -> AUTH_HMAC_SHA2_256_128 */
    {6, 13},			     /* HMAC-SHA2-384 -> AUTH_HMAC_SHA2_384_192 */
    {7, 14},			     /* HMAC-SHA2-512 -> AUTH_HMAC_SHA2_512_256 */
    {8, NT_INTEG_HMAC_RIPEMD160_96}, /* HMAC-RIPEMD (RFC 2857) */
    {9, 5},			     /* AES-XCBC-MAC -> AUTH_AES_XCBC_96 */
    {11, 9},			     /* AES-128-GMAC -> AUTH_AES_128_GMAC */
    {12, 10},			     /* AES-192-GMAC */
    {13, 11},			     /* AES-256-GMAC */
};

bool
nt_v1_p1_encr_to_v2(uint32_t v1_encr, uint32_t *encr_id)
{
	return map_id(v1_p1_encr_map, WS_COUNT(v1_p1_encr_map), v1_encr, encr_id);
}

bool
nt_v1_hash_to_v2_prf(uint32_t v1_hash, uint32_t *prf_id)
{
	return map_id(v1_hash_map, WS_COUNT(v1_hash_map), v1_hash, prf_id);
}

bool
nt_v1_esp_to_v2_encr(uint32_t esp_transform, uint32_t *encr_id)
{
	return map_id(v1_esp_map, WS_COUNT(v1_esp_map), esp_transform, encr_id);
}

bool
nt_v1_p2_auth_to_v2_integ(uint32_t v1_auth, uint32_t *integ_id)
{
	return map_id(v1_p2_auth_map, WS_COUNT(v1_p2_auth_map), v1_auth, integ_id);
}
