/*
 * test_names.c - the name tables (dissect/names.def), the algorithm facts and
 * the Wireshark key-table strings.
 *
 * The test includes names.def itself, so it walks exactly the data names.c
 * was built from: every table sorted, no duplicates, names in the contract's
 * alphabet, and nt_name()/nt_short() returning each entry.  Then real values
 * per table, edges included, and the Wireshark strings of the shared corpus'
 * key files (embedded here, and read from the files when they are found).
 */
#include "tests/unit/check.h"

#include "dissect/names.h"

#include <stdbool.h>
#include <stdint.h>

struct t_entry {
	uint32_t value;
	const char *name;
	const char *short_name;
};

/* clang-format off */
#define NT_BEGIN(tab, id, desc) static const struct t_entry id##_def[] = {
#define NT_E(v, n, s) {(v), (n), (s)},
#define NT_END(tab, id) };
/* clang-format on */
#include "dissect/names.def"
#undef NT_BEGIN
#undef NT_E
#undef NT_END

struct t_table {
	enum nt table;
	const char *id;
	const struct t_entry *e;
	size_t n;
};

#define NT_BEGIN(tab, id, desc) {tab, #id, id##_def, sizeof(id##_def) / sizeof(id##_def[0])},
#define NT_E(v, n, s)
#define NT_END(tab, id)
static const struct t_table all_tables[] = {
#include "dissect/names.def"
};
#undef NT_BEGIN
#undef NT_E
#undef NT_END

#define N_TABLES (sizeof(all_tables) / sizeof(all_tables[0]))

static bool
is_contract_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || s[0] == '_' || s[n - 1] == '_' || strstr(s, "__") != NULL)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return true;
}

static bool
in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/* CONTRACT.md's payload short names, plus the IANA ones it leaves out. */
static const char *const v1_payload_names[] = {
    "NONE", "SA",   "P",   "T",	  "KE", "ID",  "CERT", "CR",	"HASH",	  "SIG", "NONCE", "N", "D",
    "VID",  "ATTR", "SAK", "SAT", "KD", "SEQ", "POP",  "NAT-D", "NAT-OA", "GAP", "FRAG",  NULL};
static const char *const v2_payload_names[] = {
    "NONE", "SA",  "KE", "IDi", "IDr", "CERT", "CERTREQ", "AUTH", "NONCE", "N",	  "D",	"V",
    "TSi",  "TSr", "SK", "CP",	"EAP", "GSPM", "IDg",	  "GSA",  "KD",	   "SKF", "PS", NULL};

/* Every table: present once, sorted, no duplicates, names well-formed, and the
 * lookups give back each entry; the gaps and the value past the end give NULL. */
static void
test_walk(void)
{
	bool seen[NT_COUNT] = {false};
	size_t total = 0;

	CHECK_EQ(N_TABLES, NT_COUNT);
	for (size_t t = 0; t < N_TABLES; t++) {
		const struct t_table *tab = &all_tables[t];

		CHECK((size_t)tab->table < (size_t)NT_COUNT);
		if ((size_t)tab->table >= (size_t)NT_COUNT)
			continue;
		CHECK(!seen[tab->table]);
		seen[tab->table] = true;
		CHECK(tab->n > 0);
		CHECK(nt_table_name(tab->table) != NULL);
		total += tab->n;

		for (size_t i = 0; i < tab->n; i++) {
			const struct t_entry *e = &tab->e[i];
			bool payload = tab->table == NT_V1_PAYLOAD || tab->table == NT_V2_PAYLOAD;
			bool ok_name = e->name != NULL &&
				       (payload ? in_list(e->name, tab->table == NT_V1_PAYLOAD
								       ? v1_payload_names
								       : v2_payload_names)
						: is_contract_name(e->name));

			if (i > 0 && tab->e[i - 1].value >= e->value) {
				CHECK(tab->e[i - 1].value < e->value);
				fprintf(stderr, "  %s: %" PRIu32 " after %" PRIu32 "\n", tab->id,
					e->value, tab->e[i - 1].value);
			}
			if (!ok_name) {
				CHECK(ok_name);
				fprintf(stderr, "  %s %" PRIu32 ": bad name \"%s\"\n", tab->id,
					e->value, e->name ? e->name : "(null)");
			}
			CHECK(e->short_name == NULL || e->short_name[0] != '\0');
			CHECK_STR(nt_name(tab->table, e->value), e->name);
			CHECK_STR(nt_short(tab->table, e->value),
				  e->short_name ? e->short_name : e->name);
			/* the value after this one, when it is not the next entry */
			if (e->value != UINT32_MAX &&
			    (i + 1 == tab->n || tab->e[i + 1].value != e->value + 1)) {
				CHECK(nt_name(tab->table, e->value + 1) == NULL);
				CHECK(nt_short(tab->table, e->value + 1) == NULL);
			}
		}
	}
	for (size_t t = 0; t < (size_t)NT_COUNT; t++)
		CHECK(seen[t]);
	CHECK(total > 600);
	CHECK(nt_name(NT_COUNT, 1) == NULL);
	CHECK(nt_short((enum nt)((int)NT_COUNT + 5), 1) == NULL);
	CHECK(nt_table_name(NT_COUNT) == NULL);
	CHECK(nt_name(NT_V2_NOTIFY, UINT32_MAX) == NULL);
}

static void
test_ikev1(void)
{
	/* exchanges */
	CHECK_STR(nt_name(NT_V1_EXCH, 2), "IDENTITY_PROTECTION");
	CHECK_STR(nt_short(NT_V1_EXCH, 2), "MM");
	CHECK_STR(nt_short(NT_V1_EXCH, 4), "AM");
	CHECK_STR(nt_name(NT_V1_EXCH, 6), "TRANSACTION");
	CHECK_STR(nt_short(NT_V1_EXCH, 6), "CFG");
	CHECK_STR(nt_name(NT_V1_EXCH, 32), "QUICK_MODE");
	CHECK_STR(nt_short(NT_V1_EXCH, 32), "QM");
	CHECK_STR(nt_short(NT_V1_EXCH, 5), "INFO");
	CHECK_STR(nt_name(NT_V1_EXCH, 33), "NEW_GROUP_MODE");
	CHECK(nt_name(NT_V1_EXCH, 7) == NULL);
	CHECK(nt_name(NT_V1_EXCH, 34) == NULL);

	/* payloads */
	CHECK_STR(nt_name(NT_V1_PAYLOAD, 1), "SA");
	CHECK_STR(nt_name(NT_V1_PAYLOAD, 13), "VID");
	CHECK_STR(nt_name(NT_V1_PAYLOAD, 14), "ATTR");
	CHECK_STR(nt_name(NT_V1_PAYLOAD, 15), "SAK");
	CHECK_STR(nt_name(NT_V1_PAYLOAD, 20), "NAT-D");
	CHECK_STR(nt_name(NT_V1_PAYLOAD, 21), "NAT-OA");
	CHECK_STR(nt_name(NT_V1_PAYLOAD, 22), "GAP");
	CHECK_STR(nt_name(NT_V1_PAYLOAD, 130), "NAT-D");
	CHECK_STR(nt_name(NT_V1_PAYLOAD, 131), "NAT-OA");
	CHECK_STR(nt_name(NT_V1_PAYLOAD, 132), "FRAG");
	CHECK(nt_name(NT_V1_PAYLOAD, 23) == NULL);
	CHECK(nt_name(NT_V1_PAYLOAD, 133) == NULL);

	/* notifies */
	CHECK_STR(nt_name(NT_V1_NOTIFY, 14), "NO_PROPOSAL_CHOSEN");
	CHECK_STR(nt_short(NT_V1_NOTIFY, 14), "NO-PROPOSAL-CHOSEN");
	CHECK_STR(nt_name(NT_V1_NOTIFY, 24), "AUTHENTICATION_FAILED");
	CHECK_STR(nt_name(NT_V1_NOTIFY, 30), "UNEQUAL_PAYLOAD_LENGTHS");
	CHECK(nt_name(NT_V1_NOTIFY, 31) == NULL);
	CHECK(nt_name(NT_V1_NOTIFY, 0) == NULL);
	CHECK_STR(nt_name(NT_V1_NOTIFY, 16384), "CONNECTED");
	CHECK_STR(nt_name(NT_V1_NOTIFY, 24576), "RESPONDER_LIFETIME");
	CHECK_STR(nt_name(NT_V1_NOTIFY, 24577), "REPLAY_STATUS");
	CHECK_STR(nt_name(NT_V1_NOTIFY, 24578), "INITIAL_CONTACT");
	CHECK_STR(nt_short(NT_V1_NOTIFY, 24578), "INITIAL-CONTACT");
	CHECK_STR(nt_name(NT_V1_NOTIFY, 36136), "R_U_THERE");
	CHECK_STR(nt_short(NT_V1_NOTIFY, 36136), "R-U-THERE");
	CHECK_STR(nt_name(NT_V1_NOTIFY, 36137), "R_U_THERE_ACK");
	CHECK_STR(nt_name(NT_V1_NOTIFY, 40501), "UNITY_LOAD_BALANCE");
	CHECK(nt_name(NT_V1_NOTIFY, 40504) == NULL);
	CHECK(nt_notify_is_error(14));
	CHECK(nt_notify_is_error(16383));
	CHECK(!nt_notify_is_error(0));
	CHECK(!nt_notify_is_error(16384));
	CHECK(!nt_notify_is_error(36136));

	CHECK_STR(nt_name(NT_V1_DOI, 1), "IPSEC");
	CHECK_STR(nt_name(NT_V1_DOI, 2), "GDOI");
	CHECK(nt_name(NT_V1_DOI, 3) == NULL);
	CHECK_STR(nt_name(NT_V1_PROTO, 3), "PROTO_IPSEC_ESP");
	CHECK_STR(nt_short(NT_V1_PROTO, 1), "ISAKMP");
	CHECK_STR(nt_short(NT_V1_PROTO, 4), "IPCOMP");
	CHECK(nt_name(NT_V1_PROTO, 0) == NULL);
	CHECK_STR(nt_name(NT_V1_XFORM_ISAKMP, 1), "KEY_IKE");
	CHECK(nt_name(NT_V1_XFORM_ISAKMP, 2) == NULL);
	CHECK_STR(nt_name(NT_V1_XFORM_AH, 3), "AH_SHA");
	CHECK_STR(nt_name(NT_V1_XFORM_AH, 5), "AH_SHA2_256");
	CHECK_STR(nt_name(NT_V1_XFORM_AH, 13), "AH_AES_256_GMAC");
	CHECK(nt_name(NT_V1_XFORM_AH, 1) == NULL);
	CHECK(nt_name(NT_V1_XFORM_AH, 14) == NULL);

	/* ESP transform ids: the registry spells 12 ESP_AES-CBC; 21-23 are not
	 * IKEv2's 21-23 */
	CHECK_STR(nt_name(NT_V1_XFORM_ESP, 3), "ESP_3DES");
	CHECK_STR(nt_short(NT_V1_XFORM_ESP, 3), "3DES");
	CHECK_STR(nt_name(NT_V1_XFORM_ESP, 12), "ESP_AES_CBC");
	CHECK_STR(nt_name(NT_V1_XFORM_ESP, 14), "ESP_AES_CCM_8");
	CHECK_STR(nt_name(NT_V1_XFORM_ESP, 20), "ESP_AES_GCM_16");
	CHECK_STR(nt_short(NT_V1_XFORM_ESP, 20), "AES-GCM-16");
	CHECK_STR(nt_name(NT_V1_XFORM_ESP, 21), "ESP_SEED_CBC");
	CHECK_STR(nt_name(NT_V1_XFORM_ESP, 22), "ESP_CAMELLIA");
	CHECK_STR(nt_name(NT_V1_XFORM_ESP, 23), "ESP_NULL_AUTH_AES_GMAC");
	CHECK(nt_name(NT_V1_XFORM_ESP, 17) == NULL);
	CHECK(nt_name(NT_V1_XFORM_ESP, 24) == NULL);
	CHECK_STR(nt_name(NT_V1_XFORM_IPCOMP, 2), "IPCOMP_DEFLATE");
	CHECK_STR(nt_short(NT_V1_XFORM_IPCOMP, 3), "LZS");
	CHECK(nt_name(NT_V1_XFORM_IPCOMP, 5) == NULL);

	/* phase-1 attributes */
	CHECK_STR(nt_name(NT_V1_P1_ATTR, 1), "ENCRYPTION_ALGORITHM");
	CHECK_STR(nt_name(NT_V1_P1_ATTR, 6), "GROUP_PRIME_IRREDUCIBLE_POLYNOMIAL");
	CHECK_STR(nt_name(NT_V1_P1_ATTR, 14), "KEY_LENGTH");
	CHECK_STR(nt_name(NT_V1_P1_ATTR, 16), "GROUP_ORDER");
	CHECK(nt_name(NT_V1_P1_ATTR, 17) == NULL);
	CHECK_STR(nt_name(NT_V1_P1_ENCR, 1), "DES_CBC");
	CHECK_STR(nt_short(NT_V1_P1_ENCR, 1), "DES");
	CHECK_STR(nt_name(NT_V1_P1_ENCR, 5), "3DES_CBC");
	CHECK_STR(nt_short(NT_V1_P1_ENCR, 5), "3DES");
	CHECK_STR(nt_short(NT_V1_P1_ENCR, 7), "AES-CBC");
	CHECK_STR(nt_short(NT_V1_P1_ENCR, 3), "BLOWFISH");
	CHECK_STR(nt_name(NT_V1_P1_ENCR, 8), "CAMELLIA_CBC");
	CHECK(nt_name(NT_V1_P1_ENCR, 9) == NULL);
	CHECK_STR(nt_name(NT_V1_P1_HASH, 2), "SHA");
	CHECK_STR(nt_short(NT_V1_P1_HASH, 2), "SHA1");
	CHECK_STR(nt_short(NT_V1_P1_HASH, 1), "MD5");
	CHECK_STR(nt_short(NT_V1_P1_HASH, 4), "SHA2-256");
	CHECK(nt_name(NT_V1_P1_HASH, 7) == NULL);
	CHECK_STR(nt_name(NT_V1_P1_AUTH, 1), "PRE_SHARED_KEY");
	CHECK_STR(nt_short(NT_V1_P1_AUTH, 1), "PSK");
	CHECK_STR(nt_short(NT_V1_P1_AUTH, 2), "DSS-SIG");
	CHECK_STR(nt_short(NT_V1_P1_AUTH, 3), "RSA-SIG");
	CHECK_STR(nt_short(NT_V1_P1_AUTH, 4), "RSA-ENC");
	CHECK_STR(nt_short(NT_V1_P1_AUTH, 9), "ECDSA-256");
	CHECK(nt_name(NT_V1_P1_AUTH, 6) == NULL);
	CHECK(nt_name(NT_V1_P1_AUTH, 12) == NULL);
	CHECK_STR(nt_short(NT_V1_P1_AUTH, 64221), "HYBRID-RSA");
	CHECK_STR(nt_name(NT_V1_P1_AUTH, 65001), "XAUTH_INIT_PRESHARED");
	CHECK_STR(nt_short(NT_V1_P1_AUTH, 65001), "XAUTH-PSK");
	CHECK_STR(nt_short(NT_V1_P1_AUTH, 65005), "XAUTH-RSA");
	CHECK_STR(nt_name(NT_V1_P1_AUTH, 65010), "XAUTH_RESP_RSA_REVISED_ENCRYPTION");
	CHECK(nt_name(NT_V1_P1_AUTH, 65011) == NULL);
	CHECK_STR(nt_name(NT_V1_GROUP_TYPE, 2), "ECP");
	CHECK(nt_name(NT_V1_GROUP_TYPE, 4) == NULL);
	CHECK_STR(nt_name(NT_V1_LIFE_TYPE, 1), "SECONDS");
	CHECK_STR(nt_name(NT_V1_LIFE_TYPE, 2), "KILOBYTES");
	CHECK(nt_name(NT_V1_LIFE_TYPE, 3) == NULL);

	/* IPsec DOI */
	CHECK_STR(nt_name(NT_V1_P2_ATTR, 1), "SA_LIFE_TYPE");
	CHECK_STR(nt_name(NT_V1_P2_ATTR, 4), "ENCAPSULATION_MODE");
	CHECK_STR(nt_name(NT_V1_P2_ATTR, 11), "EXTENDED_64_BIT_SEQUENCE_NUMBER");
	CHECK_STR(nt_name(NT_V1_P2_ATTR, 15), "SA_DIRECTION");
	CHECK(nt_name(NT_V1_P2_ATTR, 16) == NULL);
	CHECK_STR(nt_name(NT_V1_P2_AUTH, 1), "HMAC_MD5");
	CHECK_STR(nt_name(NT_V1_P2_AUTH, 2), "HMAC_SHA");
	CHECK_STR(nt_name(NT_V1_P2_AUTH, 5), "HMAC_SHA2_256");
	CHECK_STR(nt_name(NT_V1_P2_AUTH, 9), "AES_XCBC_MAC");
	CHECK_STR(nt_name(NT_V1_P2_AUTH, 13), "AES_256_GMAC");
	CHECK(nt_name(NT_V1_P2_AUTH, 14) == NULL);
	CHECK_STR(nt_name(NT_V1_ENCAP, 1), "TUNNEL");
	CHECK_STR(nt_name(NT_V1_ENCAP, 3), "UDP_ENCAPSULATED_TUNNEL");
	CHECK_STR(nt_name(NT_V1_ENCAP, 61443), "UDP_ENCAPSULATED_TUNNEL_DRAFT");
	CHECK_STR(nt_name(NT_V1_ENCAP, 61444), "UDP_ENCAPSULATED_TRANSPORT_DRAFT");
	CHECK(nt_name(NT_V1_ENCAP, 5) == NULL);
	CHECK(nt_name(NT_V1_ENCAP, 61445) == NULL);
	CHECK_STR(nt_name(NT_V1_ID, 1), "ID_IPV4_ADDR");
	CHECK_STR(nt_short(NT_V1_ID, 1), "IPV4");
	CHECK_STR(nt_short(NT_V1_ID, 3), "USER_FQDN");
	CHECK_STR(nt_short(NT_V1_ID, 4), "IPV4_SUBNET");
	CHECK_STR(nt_short(NT_V1_ID, 9), "DER_DN");
	CHECK_STR(nt_short(NT_V1_ID, 11), "KEY_ID");
	CHECK_STR(nt_name(NT_V1_ID, 12), "ID_LIST");
	CHECK(nt_name(NT_V1_ID, 0) == NULL);
	CHECK(nt_name(NT_V1_ID, 13) == NULL);

	/* mode config, XAUTH, Unity */
	CHECK_STR(nt_name(NT_V1_CFG_TYPE, 1), "ISAKMP_CFG_REQUEST");
	CHECK_STR(nt_name(NT_V1_CFG_TYPE, 4), "ISAKMP_CFG_ACK");
	CHECK(nt_name(NT_V1_CFG_TYPE, 5) == NULL);
	CHECK_STR(nt_name(NT_V1_CFG_ATTR, 1), "INTERNAL_IP4_ADDRESS");
	CHECK_STR(nt_name(NT_V1_CFG_ATTR, 15), "INTERNAL_IP6_SUBNET");
	CHECK_STR(nt_name(NT_V1_CFG_ATTR, 16520), "XAUTH_TYPE");
	CHECK_STR(nt_name(NT_V1_CFG_ATTR, 16527), "XAUTH_STATUS");
	CHECK_STR(nt_name(NT_V1_CFG_ATTR, 16529), "XAUTH_ANSWER");
	CHECK_STR(nt_name(NT_V1_CFG_ATTR, 28672), "UNITY_BANNER");
	CHECK_STR(nt_name(NT_V1_CFG_ATTR, 28676), "UNITY_SPLIT_INCLUDE");
	CHECK_STR(nt_name(NT_V1_CFG_ATTR, 28682), "UNITY_DDNS_HOSTNAME");
	CHECK(nt_name(NT_V1_CFG_ATTR, 16) == NULL);
	CHECK(nt_name(NT_V1_CFG_ATTR, 16530) == NULL);
	CHECK(nt_name(NT_V1_CFG_ATTR, 28683) == NULL);
	CHECK_STR(nt_name(NT_V1_XAUTH_TYPE, 0), "GENERIC");
	CHECK_STR(nt_name(NT_V1_XAUTH_TYPE, 3), "S_KEY");
	CHECK(nt_name(NT_V1_XAUTH_TYPE, 4) == NULL);
}

static void
test_ikev2(void)
{
	CHECK_STR(nt_name(NT_V2_EXCH, 34), "IKE_SA_INIT");
	CHECK_STR(nt_short(NT_V2_EXCH, 35), "IKE_AUTH");
	CHECK_STR(nt_name(NT_V2_EXCH, 37), "INFORMATIONAL");
	CHECK_STR(nt_name(NT_V2_EXCH, 43), "IKE_INTERMEDIATE");
	CHECK_STR(nt_name(NT_V2_EXCH, 44), "IKE_FOLLOWUP_KE");
	CHECK(nt_name(NT_V2_EXCH, 33) == NULL);
	CHECK(nt_name(NT_V2_EXCH, 45) == NULL);

	CHECK_STR(nt_name(NT_V2_PAYLOAD, 33), "SA");
	CHECK_STR(nt_name(NT_V2_PAYLOAD, 35), "IDi");
	CHECK_STR(nt_name(NT_V2_PAYLOAD, 40), "NONCE");
	CHECK_STR(nt_name(NT_V2_PAYLOAD, 43), "V");
	CHECK_STR(nt_name(NT_V2_PAYLOAD, 46), "SK");
	CHECK_STR(nt_name(NT_V2_PAYLOAD, 53), "SKF");
	CHECK_STR(nt_name(NT_V2_PAYLOAD, 54), "PS");
	CHECK(nt_name(NT_V2_PAYLOAD, 55) == NULL);
	CHECK(nt_name(NT_V2_PAYLOAD, 1) == NULL);

	CHECK_STR(nt_name(NT_V2_NOTIFY, 1), "UNSUPPORTED_CRITICAL_PAYLOAD");
	CHECK_STR(nt_name(NT_V2_NOTIFY, 4), "INVALID_IKE_SPI");
	CHECK_STR(nt_name(NT_V2_NOTIFY, 14), "NO_PROPOSAL_CHOSEN");
	CHECK_STR(nt_name(NT_V2_NOTIFY, 17), "INVALID_KE_PAYLOAD");
	CHECK_STR(nt_name(NT_V2_NOTIFY, 24), "AUTHENTICATION_FAILED");
	CHECK_STR(nt_name(NT_V2_NOTIFY, 38), "TS_UNACCEPTABLE");
	CHECK_STR(nt_name(NT_V2_NOTIFY, 42), "USE_ASSIGNED_HOA");
	CHECK_STR(nt_short(NT_V2_NOTIFY, 42), "USE_ASSIGNED_HoA");
	CHECK_STR(nt_name(NT_V2_NOTIFY, 49), "REGISTRATION_FAILED");
	CHECK(nt_name(NT_V2_NOTIFY, 2) == NULL);
	CHECK(nt_name(NT_V2_NOTIFY, 18) == NULL);
	CHECK(nt_name(NT_V2_NOTIFY, 50) == NULL);
	CHECK_STR(nt_name(NT_V2_NOTIFY, 16384), "INITIAL_CONTACT");
	CHECK_STR(nt_name(NT_V2_NOTIFY, 16388), "NAT_DETECTION_SOURCE_IP");
	CHECK_STR(nt_name(NT_V2_NOTIFY, 16389), "NAT_DETECTION_DESTINATION_IP");
	CHECK_STR(nt_name(NT_V2_NOTIFY, 16390), "COOKIE");
	CHECK_STR(nt_name(NT_V2_NOTIFY, 16393), "REKEY_SA");
	CHECK_STR(nt_name(NT_V2_NOTIFY, 16406), "REDIRECT_SUPPORTED");
	CHECK_STR(nt_name(NT_V2_NOTIFY, 16407), "REDIRECT");
	CHECK_STR(nt_name(NT_V2_NOTIFY, 16408), "REDIRECTED_FROM");
	CHECK_STR(nt_name(NT_V2_NOTIFY, 16430), "IKEV2_FRAGMENTATION_SUPPORTED");
	CHECK_STR(nt_name(NT_V2_NOTIFY, 16431), "SIGNATURE_HASH_ALGORITHMS");
	CHECK_STR(nt_name(NT_V2_NOTIFY, 16435), "USE_PPK");
	CHECK_STR(nt_name(NT_V2_NOTIFY, 16438), "INTERMEDIATE_EXCHANGE_SUPPORTED");
	CHECK_STR(nt_name(NT_V2_NOTIFY, 16441), "ADDITIONAL_KEY_EXCHANGE");
	CHECK_STR(nt_name(NT_V2_NOTIFY, 16447), "IKE_SA_INIT_FULL_TRANSCRIPT_AUTH");
	CHECK(nt_name(NT_V2_NOTIFY, 16448) == NULL);
	CHECK(nt_name(NT_V2_NOTIFY, 16383) == NULL);

	CHECK_STR(nt_name(NT_V2_PROTO, 1), "IKE");
	CHECK_STR(nt_name(NT_V2_PROTO, 3), "ESP");
	CHECK(nt_name(NT_V2_PROTO, 0) == NULL);
	CHECK(nt_name(NT_V2_PROTO, 7) == NULL);

	CHECK_STR(nt_name(NT_V2_XFORM_TYPE, 1), "ENCR");
	CHECK_STR(nt_name(NT_V2_XFORM_TYPE, 4), "KE");
	CHECK_STR(nt_name(NT_V2_XFORM_TYPE, 5), "SN");
	CHECK_STR(nt_short(NT_V2_XFORM_TYPE, 5), "ESN");
	CHECK_STR(nt_name(NT_V2_XFORM_TYPE, 6), "ADDKE1");
	CHECK_STR(nt_name(NT_V2_XFORM_TYPE, 12), "ADDKE7");
	CHECK(nt_name(NT_V2_XFORM_TYPE, 0) == NULL);
	CHECK(nt_name(NT_V2_XFORM_TYPE, 15) == NULL);

	CHECK_STR(nt_name(NT_V2_ENCR, 3), "ENCR_3DES");
	CHECK_STR(nt_short(NT_V2_ENCR, 3), "3DES");
	CHECK_STR(nt_name(NT_V2_ENCR, 12), "ENCR_AES_CBC");
	CHECK_STR(nt_short(NT_V2_ENCR, 12), "AES-CBC");
	CHECK_STR(nt_short(NT_V2_ENCR, 16), "AES-CCM-16");
	CHECK_STR(nt_short(NT_V2_ENCR, 14), "AES-CCM-8");
	CHECK_STR(nt_name(NT_V2_ENCR, 20), "ENCR_AES_GCM_16");
	CHECK_STR(nt_short(NT_V2_ENCR, 20), "AES-GCM-16");
	CHECK_STR(nt_short(NT_V2_ENCR, 28), "CHACHA20-POLY1305");
	CHECK_STR(nt_name(NT_V2_ENCR, 35), "ENCR_MAGMA_MGM_MAC_KTREE");
	CHECK(nt_name(NT_V2_ENCR, 0) == NULL);
	CHECK(nt_name(NT_V2_ENCR, 10) == NULL);
	CHECK(nt_name(NT_V2_ENCR, 17) == NULL);
	CHECK(nt_name(NT_V2_ENCR, 22) == NULL);
	CHECK(nt_name(NT_V2_ENCR, 36) == NULL);

	CHECK_STR(nt_name(NT_V2_PRF, 5), "PRF_HMAC_SHA2_256");
	CHECK_STR(nt_short(NT_V2_PRF, 5), "SHA2-256");
	CHECK_STR(nt_short(NT_V2_PRF, 2), "SHA1");
	CHECK_STR(nt_short(NT_V2_PRF, 4), "AES-XCBC");
	CHECK_STR(nt_name(NT_V2_PRF, 9), "PRF_HMAC_STREEBOG_512");
	CHECK(nt_name(NT_V2_PRF, 10) == NULL);

	CHECK_STR(nt_name(NT_V2_INTEG, 12), "AUTH_HMAC_SHA2_256_128");
	CHECK_STR(nt_short(NT_V2_INTEG, 12), "SHA2-256-128");
	CHECK_STR(nt_short(NT_V2_INTEG, 2), "SHA1-96");
	CHECK_STR(nt_short(NT_V2_INTEG, 1), "MD5-96");
	CHECK_STR(nt_name(NT_V2_INTEG, 14), "AUTH_HMAC_SHA2_512_256");
	CHECK(nt_name(NT_V2_INTEG, 15) == NULL);
	CHECK(nt_name(NT_V2_INTEG, NT_INTEG_HMAC_SHA2_256_96) == NULL);

	CHECK_STR(nt_name(NT_V2_ESN, 0), "32_BIT_SEQUENTIAL_NUMBERS");
	CHECK_STR(nt_short(NT_V2_ESN, 1), "ESN");
	CHECK(nt_name(NT_V2_ESN, 3) == NULL);
	CHECK_STR(nt_name(NT_V2_XFORM_ATTR, 14), "KEY_LENGTH");
	CHECK(nt_name(NT_V2_XFORM_ATTR, 15) == NULL);

	CHECK_STR(nt_name(NT_V2_AUTH, 1), "RSA_DIGITAL_SIGNATURE");
	CHECK_STR(nt_short(NT_V2_AUTH, 1), "RSA-SIG");
	CHECK_STR(nt_name(NT_V2_AUTH, 2), "SHARED_KEY_MESSAGE_INTEGRITY_CODE");
	CHECK_STR(nt_short(NT_V2_AUTH, 2), "PSK");
	CHECK_STR(nt_short(NT_V2_AUTH, 3), "DSS-SIG");
	CHECK_STR(nt_short(NT_V2_AUTH, 9), "ECDSA-256");
	CHECK_STR(nt_short(NT_V2_AUTH, 13), "NULL");
	CHECK_STR(nt_name(NT_V2_AUTH, 14), "DIGITAL_SIGNATURE");
	CHECK_STR(nt_short(NT_V2_AUTH, 14), "DIGITAL-SIG");
	CHECK(nt_name(NT_V2_AUTH, 4) == NULL);
	CHECK(nt_name(NT_V2_AUTH, 15) == NULL);

	CHECK_STR(nt_name(NT_V2_ID, 1), "ID_IPV4_ADDR");
	CHECK_STR(nt_short(NT_V2_ID, 2), "FQDN");
	CHECK_STR(nt_name(NT_V2_ID, 3), "ID_RFC822_ADDR");
	CHECK_STR(nt_short(NT_V2_ID, 9), "DER_DN");
	CHECK_STR(nt_name(NT_V2_ID, 13), "ID_NULL");
	CHECK(nt_name(NT_V2_ID, 4) == NULL);
	CHECK(nt_name(NT_V2_ID, 14) == NULL);

	CHECK_STR(nt_name(NT_V2_TS, 7), "TS_IPV4_ADDR_RANGE");
	CHECK_STR(nt_name(NT_V2_TS, 8), "TS_IPV6_ADDR_RANGE");
	CHECK_STR(nt_name(NT_V2_TS, 10), "TS_SECLABEL");
	CHECK(nt_name(NT_V2_TS, 6) == NULL);
	CHECK(nt_name(NT_V2_TS, 11) == NULL);

	CHECK_STR(nt_name(NT_V2_CFG_TYPE, 2), "CFG_REPLY");
	CHECK(nt_name(NT_V2_CFG_TYPE, 0) == NULL);
	CHECK_STR(nt_name(NT_V2_CFG_ATTR, 1), "INTERNAL_IP4_ADDRESS");
	CHECK_STR(nt_name(NT_V2_CFG_ATTR, 8), "INTERNAL_IP6_ADDRESS");
	CHECK_STR(nt_name(NT_V2_CFG_ATTR, 25), "INTERNAL_DNS_DOMAIN");
	CHECK_STR(nt_name(NT_V2_CFG_ATTR, 29), "ENCDNS_DIGEST_INFO");
	CHECK(nt_name(NT_V2_CFG_ATTR, 5) == NULL); /* reserved since RFC 5996 */
	CHECK(nt_name(NT_V2_CFG_ATTR, 9) == NULL);
	CHECK(nt_name(NT_V2_CFG_ATTR, 30) == NULL);

	CHECK_STR(nt_name(NT_V2_HASH, 2), "SHA2_256");
	CHECK_STR(nt_short(NT_V2_HASH, 2), "SHA2-256");
	CHECK_STR(nt_name(NT_V2_HASH, 5), "IDENTITY");
	CHECK(nt_name(NT_V2_HASH, 0) == NULL);
	CHECK(nt_name(NT_V2_HASH, 8) == NULL);
	CHECK_STR(nt_name(NT_V2_GW_ID, 3), "FQDN");
	CHECK(nt_name(NT_V2_GW_ID, 4) == NULL);
	CHECK_STR(nt_name(NT_V2_IPCOMP, 2), "IPCOMP_DEFLATE");
	CHECK(nt_name(NT_V2_IPCOMP, 0) == NULL);
}

static void
test_shared(void)
{
	CHECK_STR(nt_name(NT_GROUP, 2), "1024_BIT_MODP_GROUP");
	CHECK_STR(nt_short(NT_GROUP, 1), "MODP768");
	CHECK_STR(nt_short(NT_GROUP, 2), "MODP1024");
	CHECK_STR(nt_short(NT_GROUP, 5), "MODP1536");
	CHECK_STR(nt_name(NT_GROUP, 14), "2048_BIT_MODP_GROUP");
	CHECK_STR(nt_short(NT_GROUP, 14), "MODP2048");
	CHECK_STR(nt_name(NT_GROUP, 19), "256_BIT_RANDOM_ECP_GROUP");
	CHECK_STR(nt_short(NT_GROUP, 19), "ECP256");
	CHECK_STR(nt_short(NT_GROUP, 20), "ECP384");
	CHECK_STR(nt_short(NT_GROUP, 21), "ECP521");
	CHECK_STR(nt_name(NT_GROUP, 24), "2048_BIT_MODP_GROUP_WITH_256_BIT_PRIME_ORDER_SUBGROUP");
	CHECK_STR(nt_short(NT_GROUP, 25), "ECP192");
	CHECK_STR(nt_short(NT_GROUP, 26), "ECP224");
	CHECK_STR(nt_short(NT_GROUP, 28), "BP256");
	CHECK_STR(nt_name(NT_GROUP, 31), "CURVE25519");
	CHECK_STR(nt_short(NT_GROUP, 31), "X25519");
	CHECK_STR(nt_short(NT_GROUP, 32), "X448");
	CHECK_STR(nt_name(NT_GROUP, 3), "EC2N_GROUP_ON_GP_2_155");
	CHECK_STR(nt_name(NT_GROUP, 36), "ML_KEM_768");
	CHECK_STR(nt_short(NT_GROUP, 36), "MLKEM768");
	CHECK_STR(nt_name(NT_GROUP, 37), "ML_KEM_1024");
	CHECK(nt_name(NT_GROUP, 38) == NULL);

	CHECK_STR(nt_name(NT_CERT_ENC, 1), "PKCS_7_WRAPPED_X_509_CERTIFICATE");
	CHECK_STR(nt_name(NT_CERT_ENC, 4), "X_509_CERTIFICATE_SIGNATURE");
	CHECK_STR(nt_short(NT_CERT_ENC, 4), "X509-SIG");
	CHECK_STR(nt_name(NT_CERT_ENC, 13), "HASH_AND_URL_OF_X_509_BUNDLE");
	CHECK_STR(nt_name(NT_CERT_ENC, 15), "RAW_PUBLIC_KEY");
	CHECK(nt_name(NT_CERT_ENC, 0) == NULL);
	CHECK(nt_name(NT_CERT_ENC, 16) == NULL);

	CHECK_STR(nt_name(NT_EAP_CODE, 1), "REQUEST");
	CHECK_STR(nt_name(NT_EAP_CODE, 4), "FAILURE");
	CHECK(nt_name(NT_EAP_CODE, 7) == NULL);
	CHECK_STR(nt_name(NT_EAP_TYPE, 1), "IDENTITY");
	CHECK_STR(nt_name(NT_EAP_TYPE, 13), "EAP_TLS");
	CHECK_STR(nt_short(NT_EAP_TYPE, 13), "TLS");
	CHECK_STR(nt_short(NT_EAP_TYPE, 17), "LEAP");
	CHECK_STR(nt_short(NT_EAP_TYPE, 18), "SIM");
	CHECK_STR(nt_short(NT_EAP_TYPE, 21), "TTLS");
	CHECK_STR(nt_short(NT_EAP_TYPE, 23), "AKA");
	CHECK_STR(nt_name(NT_EAP_TYPE, 25), "PEAP");
	CHECK_STR(nt_short(NT_EAP_TYPE, 26), "MSCHAPv2");
	CHECK_STR(nt_short(NT_EAP_TYPE, 43), "FAST");
	CHECK_STR(nt_name(NT_EAP_TYPE, 49), "EAP_IKEV2");
	CHECK_STR(nt_name(NT_EAP_TYPE, 50), "EAP_AKA_PRIME");
	CHECK_STR(nt_short(NT_EAP_TYPE, 50), "AKA'");
	CHECK_STR(nt_name(NT_EAP_TYPE, 52), "EAP_PWD");
	CHECK_STR(nt_name(NT_EAP_TYPE, 55), "TEAP");
	CHECK(nt_name(NT_EAP_TYPE, 7) == NULL);
	CHECK(nt_name(NT_EAP_TYPE, 20) == NULL);
	CHECK(nt_name(NT_EAP_TYPE, 57) == NULL);

	CHECK_STR(nt_name(NT_IP_PROTO, 0), "ANY");
	CHECK_STR(nt_name(NT_IP_PROTO, 1), "ICMP");
	CHECK_STR(nt_name(NT_IP_PROTO, 6), "TCP");
	CHECK_STR(nt_name(NT_IP_PROTO, 17), "UDP");
	CHECK_STR(nt_name(NT_IP_PROTO, 47), "GRE");
	CHECK_STR(nt_name(NT_IP_PROTO, 50), "ESP");
	CHECK_STR(nt_name(NT_IP_PROTO, 51), "AH");
	CHECK_STR(nt_name(NT_IP_PROTO, 58), "IPV6_ICMP");
	CHECK_STR(nt_short(NT_IP_PROTO, 58), "IPv6-ICMP");
	CHECK_STR(nt_name(NT_IP_PROTO, 132), "SCTP");
	CHECK(nt_name(NT_IP_PROTO, 3) == NULL);
	CHECK(nt_name(NT_IP_PROTO, 255) == NULL);
}

static void
test_encr_info(void)
{
	struct nt_encr_info i;

	CHECK(nt_v2_encr_info(12, &i)); /* AES-CBC */
	CHECK_EQ(i.iv_len, 16);
	CHECK_EQ(i.block_len, 16);
	CHECK_EQ(i.icv_len, 0);
	CHECK_EQ(i.salt_len, 0);
	CHECK_EQ(i.fixed_key_bits, 0);
	CHECK(!i.aead);
	CHECK(nt_v2_encr_info(3, &i)); /* 3DES */
	CHECK_EQ(i.iv_len, 8);
	CHECK_EQ(i.block_len, 8);
	CHECK_EQ(i.fixed_key_bits, 192);
	CHECK(nt_v2_encr_info(13, &i)); /* AES-CTR */
	CHECK_EQ(i.iv_len, 8);
	CHECK_EQ(i.block_len, 1);
	CHECK_EQ(i.salt_len, 4);
	CHECK(!i.aead);
	CHECK(nt_v2_encr_info(19, &i)); /* AES-GCM-12 */
	CHECK_EQ(i.iv_len, 8);
	CHECK_EQ(i.block_len, 1);
	CHECK_EQ(i.icv_len, 12);
	CHECK_EQ(i.salt_len, 4);
	CHECK(i.aead);
	CHECK(nt_v2_encr_info(14, &i)); /* AES-CCM-8 */
	CHECK_EQ(i.icv_len, 8);
	CHECK_EQ(i.salt_len, 3);
	CHECK(i.aead);
	CHECK(nt_v2_encr_info(16, &i));
	CHECK_EQ(i.icv_len, 16);
	CHECK(nt_v2_encr_info(28, &i)); /* ChaCha20-Poly1305 */
	CHECK_EQ(i.iv_len, 8);
	CHECK_EQ(i.icv_len, 16);
	CHECK_EQ(i.salt_len, 4);
	CHECK_EQ(i.fixed_key_bits, 256);
	CHECK(i.aead);
	CHECK(nt_v2_encr_info(21, &i)); /* NULL_AUTH_AES_GMAC */
	CHECK_EQ(i.iv_len, 8);
	CHECK_EQ(i.icv_len, 16);
	CHECK_EQ(i.salt_len, 4);
	CHECK(nt_v2_encr_info(30, &i)); /* AES-GCM-16-IIV: no IV on the wire */
	CHECK_EQ(i.iv_len, 0);
	CHECK_EQ(i.icv_len, 16);
	CHECK(nt_v2_encr_info(11, &i)); /* NULL */
	CHECK_EQ(i.iv_len, 0);
	CHECK_EQ(i.fixed_key_bits, 0);
	CHECK(nt_v2_encr_info(20, NULL));
	CHECK(!nt_v2_encr_info(0, &i));
	CHECK(!nt_v2_encr_info(17, &i));
	CHECK(!nt_v2_encr_info(36, &i));
	/* every id with facts has a name, and every AEAD has an ICV */
	for (uint32_t id = 0; id < 64; id++)
		if (nt_v2_encr_info(id, &i)) {
			CHECK(nt_name(NT_V2_ENCR, id) != NULL);
			CHECK(i.aead == (i.icv_len > 0));
			CHECK(i.block_len > 0);
		}
}

static void
test_integ_info(void)
{
	static const struct {
		uint32_t id;
		uint16_t icv, key;
	} want[] = {
	    {0, 0, 0},
	    {1, 12, 16},
	    {2, 12, 20},
	    {5, 12, 16},
	    {6, 16, 16},
	    {7, 20, 20},
	    {8, 12, 16},
	    {9, 16, 20},
	    {10, 16, 28},
	    {11, 16, 36},
	    {12, 16, 32},
	    {13, 24, 48},
	    {14, 32, 64},
	    {NT_INTEG_HMAC_SHA2_256_96, 12, 32},
	    {NT_INTEG_HMAC_RIPEMD160_96, 12, 20},
	    {NT_INTEG_ANY(64), 8, 0},
	    {NT_INTEG_ANY(96), 12, 0},
	    {NT_INTEG_ANY(160), 20, 0},
	    {NT_INTEG_ANY(256), 32, 0},
	};
	uint16_t icv, key;

	for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
		icv = key = 0xffff;
		CHECK(nt_v2_integ_info(want[k].id, &icv, &key));
		CHECK_EQ(icv, want[k].icv);
		CHECK_EQ(key, want[k].key);
	}
	CHECK(nt_v2_integ_info(12, NULL, NULL));
	CHECK(!nt_v2_integ_info(15, &icv, &key));
	CHECK(!nt_v2_integ_info(3, &icv, &key)); /* DES-MAC: no facts */
	CHECK(!nt_v2_integ_info(NT_INTEG_ANY(0), &icv, &key));
	CHECK(!nt_v2_integ_info(NT_INTEG_ANY(100), &icv, &key));
}

/* Every string Wireshark's source has for the two UATs; all but the marked
 * ones were accepted by tshark 4.0.17 when loaded as a key table. */
static const struct {
	const char *s;
	uint32_t id;
	uint16_t bits;
} ws_ikev2_encr_all[] =
    {
	{"NULL [RFC2410]", 11, 0},
	{"3DES [RFC2451]", 3, 0},
	{"AES-CBC-128 [RFC3602]", 12, 128},
	{"AES-CBC-192 [RFC3602]", 12, 192},
	{"AES-CBC-256 [RFC3602]", 12, 256},
	{"AES-CTR-128 [RFC5930]", 13, 128},
	{"AES-CTR-192 [RFC5930]", 13, 192},
	{"AES-CTR-256 [RFC5930]", 13, 256},
	{"AES-GCM-128 with 8 octet ICV [RFC5282]", 18, 128},
	{"AES-GCM-192 with 12 octet ICV [RFC5282]", 19, 192},
	{"AES-GCM-256 with 16 octet ICV [RFC5282]", 20, 256},
	{"AES-CCM-128 with 8 octet ICV [RFC5282]", 14, 128},
	{"AES-CCM-128 with 12 octet ICV [RFC5282]", 15, 128},
	{"AES-CCM-256 with 16 octet ICV [RFC5282]", 16, 256},
},
  ws_ikev2_integ_all[] =
      {
	  {"NONE [RFC4306]", 0, 0},
	  {"HMAC_MD5_96 [RFC2403]", 1, 0},
	  {"HMAC_SHA1_96 [RFC2404]", 2, 0},
	  {"HMAC_MD5_128 [RFC4595]", 6, 0},
	  {"HMAC_SHA1_160 [RFC4595]", 7, 0},
	  {"HMAC_SHA2_256_96 [draft-ietf-ipsec-ciph-sha-256-00]", NT_INTEG_HMAC_SHA2_256_96, 0},
	  {"HMAC_SHA2_256_128 [RFC4868]", 12, 0},
	  {"HMAC_SHA2_384_192 [RFC4868]", 13, 0},
	  {"HMAC_SHA2_512_256 [RFC4868]", 14, 0},
	  {"ANY 64-bits of Authentication [No Checking]", NT_INTEG_ANY(64), 0},
	  {"ANY 96-bits of Authentication [No Checking]", NT_INTEG_ANY(96), 0},
	  {"ANY 128-bits of Authentication [No Checking]", NT_INTEG_ANY(128), 0},
	  {"ANY 160-bits of Authentication [No Checking]", NT_INTEG_ANY(160), 0},
	  {"ANY 192-bits of Authentication [No Checking]", NT_INTEG_ANY(192), 0},
	  {"ANY 256-bits of Authentication [No Checking]", NT_INTEG_ANY(256), 0},
},
  ws_esp_encr_all[] =
      {
	  {"NULL", 11, 0},
	  {"TripleDES-CBC [RFC2451]", 3, 0},
	  {"AES-CBC [RFC3602]", 12, 0},
	  {"AES-CTR [RFC3686]", 13, 0},
	  {"DES-CBC [RFC2405]", 2, 0},
	  {"CAST5-CBC [RFC2144]", 6, 0},
	  {"BLOWFISH-CBC [RFC2451]", 7, 0},
	  {"AES-GCM with 8 octet ICV [RFC4106]", 18, 0},
	  {"AES-GCM with 12 octet ICV [RFC4106]", 19, 0},
	  {"AES-GCM with 16 octet ICV [RFC4106]", 20, 0},
	  /* current Wireshark only; tshark 4.0.17 rejects these */
	  {"AES-GCM with IIV and 16 octet ICV [RFC4106 & RFC8750]", 30, 0},
	  {"ChaCha20 with Poly1305 [RFC7634]", 28, 0},
	  {"ChaCha20 with Poly1305 and IIV [RFC7634 & RFC8750]", 31, 0},
},
  ws_esp_integ_all[] = {
      {"NULL", 0, 0},
      {"HMAC-SHA-1-96 [RFC2404]", 2, 0},
      {"HMAC-SHA-256-96 [draft-ietf-ipsec-ciph-sha-256-00]", NT_INTEG_HMAC_SHA2_256_96, 0},
      {"HMAC-SHA-256-128 [RFC4868]", 12, 0},
      {"HMAC-SHA-384-192 [RFC4868]", 13, 0},
      {"HMAC-SHA-512-256 [RFC4868]", 14, 0},
      {"HMAC-MD5-96 [RFC2403]", 1, 0},
      {"MAC-RIPEMD-160-96 [RFC2857]", NT_INTEG_HMAC_RIPEMD160_96, 0},
      {"ANY 64 bit authentication [no checking]", NT_INTEG_ANY(64), 0},
      {"ANY 96 bit authentication [no checking]", NT_INTEG_ANY(96), 0},
      {"ANY 128 bit authentication [no checking]", NT_INTEG_ANY(128), 0},
      {"ANY 192 bit authentication [no checking]", NT_INTEG_ANY(192), 0},
      {"ANY 256 bit authentication [no checking]", NT_INTEG_ANY(256), 0},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void
test_ws_strings(void)
{
	uint32_t id;
	uint16_t bits;

	for (size_t k = 0; k < COUNT(ws_ikev2_encr_all); k++) {
		id = 999, bits = 999;
		CHECK(nt_ws_ikev2_encr(ws_ikev2_encr_all[k].s, &id, &bits));
		CHECK_EQ(id, ws_ikev2_encr_all[k].id);
		CHECK_EQ(bits, ws_ikev2_encr_all[k].bits);
		CHECK_STR(nt_ws_ikev2_encr_str(id, bits), ws_ikev2_encr_all[k].s);
	}
	for (size_t k = 0; k < COUNT(ws_ikev2_integ_all); k++) {
		id = 999;
		CHECK(nt_ws_ikev2_integ(ws_ikev2_integ_all[k].s, &id));
		CHECK_EQ(id, ws_ikev2_integ_all[k].id);
		CHECK_STR(nt_ws_ikev2_integ_str(id), ws_ikev2_integ_all[k].s);
	}
	for (size_t k = 0; k < COUNT(ws_esp_encr_all); k++) {
		id = 999, bits = 999;
		CHECK(nt_ws_esp_encr(ws_esp_encr_all[k].s, &id, &bits));
		CHECK_EQ(id, ws_esp_encr_all[k].id);
		CHECK_EQ(bits, 0);
		CHECK_STR(nt_ws_esp_encr_str(id, 0), ws_esp_encr_all[k].s);
		CHECK_STR(nt_ws_esp_encr_str(id, 256), ws_esp_encr_all[k].s);
	}
	for (size_t k = 0; k < COUNT(ws_esp_integ_all); k++) {
		id = 999;
		CHECK(nt_ws_esp_integ(ws_esp_integ_all[k].s, &id));
		CHECK_EQ(id, ws_esp_integ_all[k].id);
		CHECK_STR(nt_ws_esp_integ_str(id), ws_esp_integ_all[k].s);
	}

	/* reverse then forward, over every id and key length */
	for (uint32_t e = 0; e < 64; e++) {
		static const uint16_t lens[] = {0, 64, 128, 192, 256};
		for (size_t l = 0; l < COUNT(lens); l++) {
			const char *s = nt_ws_ikev2_encr_str(e, lens[l]);
			if (s != NULL) {
				CHECK(nt_ws_ikev2_encr(s, &id, &bits));
				CHECK_EQ(id, e);
				CHECK(bits == 0 || bits == lens[l]);
			}
			s = nt_ws_esp_encr_str(e, lens[l]);
			if (s != NULL) {
				CHECK(nt_ws_esp_encr(s, &id, &bits));
				CHECK_EQ(id, e);
			}
		}
		if (nt_ws_ikev2_integ_str(e) != NULL) {
			CHECK(nt_ws_ikev2_integ(nt_ws_ikev2_integ_str(e), &id));
			CHECK_EQ(id, e);
		}
		if (nt_ws_esp_integ_str(e) != NULL) {
			CHECK(nt_ws_esp_integ(nt_ws_esp_integ_str(e), &id));
			CHECK_EQ(id, e);
		}
	}

	/* quotes and blanks around the string are ignored, nothing else */
	CHECK(nt_ws_esp_encr("\"AES-CBC [RFC3602]\"", &id, &bits));
	CHECK_EQ(id, 12);
	CHECK(nt_ws_ikev2_encr("  \"AES-CBC-256 [RFC3602]\" \n", &id, &bits));
	CHECK_EQ(bits, 256);
	CHECK(nt_ws_ikev2_integ("\t\"NONE [RFC4306]\"", &id));
	CHECK_EQ(id, 0);
	CHECK(!nt_ws_esp_encr("aes-cbc [rfc3602]", &id, &bits));
	CHECK(!nt_ws_esp_encr("AES-CBC", &id, &bits));
	CHECK(!nt_ws_esp_encr("AES-CBC [RFC3602] x", &id, &bits));
	CHECK(!nt_ws_esp_encr("", &id, &bits));
	CHECK(!nt_ws_esp_encr("\"\"", &id, &bits));
	CHECK(!nt_ws_esp_encr(NULL, &id, &bits));
	CHECK(!nt_ws_ikev2_encr("AES-CBC [RFC3602]", &id, &bits)); /* the ESP spelling */
	CHECK(!nt_ws_esp_encr("AES-CBC-128 [RFC3602]", &id, &bits));
	CHECK(!nt_ws_esp_integ("ANY 160 bit authentication [no checking]", &id));
	CHECK(!nt_ws_esp_integ("HMAC_SHA1_96 [RFC2404]", &id));
	CHECK(!nt_ws_ikev2_integ("HMAC-SHA-1-96 [RFC2404]", &id));
	CHECK(!nt_ws_esp_encr("TWOFISH-CBC", &id, &bits)); /* no IANA id */
	CHECK(nt_ws_ikev2_encr("NULL [RFC2410]", NULL, NULL));

	/* strongSwan's save-keys spellings: GCM without ICV (taken as 16), and
	 * its TripleDes typo; written back in Wireshark's spelling */
	CHECK(nt_ws_esp_encr("AES-GCM [RFC4106]", &id, &bits));
	CHECK_EQ(id, 20);
	CHECK(nt_ws_esp_encr("\"TripleDes-CBC [RFC2451]\"", &id, &bits));
	CHECK_EQ(id, 3);
	CHECK_STR(nt_ws_esp_encr_str(20, 0), "AES-GCM with 16 octet ICV [RFC4106]");
	CHECK_STR(nt_ws_esp_encr_str(3, 0), "TripleDES-CBC [RFC2451]");

	/* ids without a string */
	CHECK(nt_ws_ikev2_encr_str(12, 0) == NULL); /* AES-CBC needs its length */
	CHECK(nt_ws_ikev2_encr_str(12, 64) == NULL);
	CHECK_STR(nt_ws_ikev2_encr_str(3, 192), "3DES [RFC2451]");
	CHECK(nt_ws_ikev2_encr_str(28, 256) == NULL);
	CHECK(nt_ws_ikev2_integ_str(5) == NULL); /* AES-XCBC */
	CHECK(nt_ws_esp_integ_str(NT_INTEG_ANY(160)) == NULL);
	CHECK(nt_ws_esp_encr_str(23, 0) == NULL);
}

/* The key files of the shared corpus: their strings, embedded. */
static void
test_corpus_strings(void)
{
	static const char *const ike_encr[] = {"NULL [RFC2410]",
					       "3DES [RFC2451]",
					       "AES-CCM-128 with 12 octet ICV [RFC5282]",
					       "AES-CTR-128 [RFC5930]",
					       "AES-CTR-192 [RFC5930]",
					       "AES-CBC-256 [RFC3602]",
					       "AES-CCM-256 with 16 octet ICV [RFC5282]",
					       "AES-GCM-256 with 8 octet ICV [RFC5282]",
					       "AES-GCM-256 with 16 octet ICV [RFC5282]",
					       "AES-CBC-128 [RFC3602]"};
	static const char *const ike_integ[] = {"NONE [RFC4306]",
						"HMAC_SHA1_160 [RFC4595]",
						"ANY 96-bits of Authentication [No Checking]",
						"HMAC_SHA2_512_256 [RFC4868]",
						"HMAC_SHA2_256_128 [RFC4868]",
						"HMAC_SHA1_96 [RFC2404]"};
	static const char *const esp_encr[] = {"AES-CBC [RFC3602]", "TripleDES-CBC [RFC2451]"};
	static const char *const esp_integ[] = {"HMAC-SHA-1-96 [RFC2404]",
						"ANY 96 bit authentication [no checking]"};
	uint32_t id;
	uint16_t bits;

	for (size_t k = 0; k < COUNT(ike_encr); k++)
		CHECK(nt_ws_ikev2_encr(ike_encr[k], &id, &bits));
	for (size_t k = 0; k < COUNT(ike_integ); k++)
		CHECK(nt_ws_ikev2_integ(ike_integ[k], &id));
	for (size_t k = 0; k < COUNT(esp_encr); k++)
		CHECK(nt_ws_esp_encr(esp_encr[k], &id, &bits));
	for (size_t k = 0; k < COUNT(esp_integ); k++)
		CHECK(nt_ws_esp_integ(esp_integ[k], &id));
}

/*
 * The key files themselves, when the shared corpus sits beside the work tree
 * (as in a checkout and in CI).  Every algorithm string must parse, and every
 * key must be as long as the facts say: SK_e = key + salt, SK_a = the INTEG
 * key.  Returns the number of lines checked.
 */
static size_t
csv_split(char *line, char **field, size_t max)
{
	size_t n = 0;
	char *p = line;

	while (n < max) {
		char *out, sep;
		field[n++] = p;
		out = p;
		if (*p == '"') {
			p++;
			while (*p && *p != '"')
				*out++ = *p++;
			if (*p == '"')
				p++;
		} else {
			while (*p && *p != ',' && *p != '\n' && *p != '\r')
				*out++ = *p++;
		}
		while (*p && *p != ',')
			p++;
		sep = *p;
		*out = '\0';
		if (sep != ',')
			break;
		p++;
	}
	return n;
}

static size_t
hex_bytes(const char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		n -= 2;
	return n / 2;
}

static FILE *
open_corpus(const char *rel)
{
	/* this file is tests/unit/test_names.c; the corpus is ../shared/corpus
	 * from the work tree's root, and the build runs from a directory in it */
	static const char *const roots[] = {"", "../", "../../", "../../../"};
	char dir[512], path[1024];
	const char *slash = strrchr(__FILE__, '/');
	size_t len = slash ? (size_t)(slash - __FILE__) : 0;

	if (len < sizeof(dir)) {
		memcpy(dir, __FILE__, len);
		dir[len] = '\0';
		snprintf(path, sizeof(path), "%s%s../../../shared/corpus/%s", dir, len ? "/" : "",
			 rel);
		FILE *f = fopen(path, "r");
		if (f)
			return f;
	}
	for (size_t i = 0; i < COUNT(roots); i++) {
		snprintf(path, sizeof(path), "%s../shared/corpus/%s", roots[i], rel);
		FILE *f = fopen(path, "r");
		if (f)
			return f;
	}
	return NULL;
}

static size_t
check_ikev2_table(const char *rel)
{
	FILE *f = open_corpus(rel);
	char line[2048], *fld[8];
	size_t lines = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		uint32_t encr, integ;
		uint16_t bits, icv, klen;
		struct nt_encr_info info;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (csv_split(line, fld, 8) != 8) {
			CHECK(0);
			continue;
		}
		lines++;
		CHECK(nt_ws_ikev2_encr(fld[4], &encr, &bits));
		CHECK(nt_ws_ikev2_integ(fld[7], &integ));
		if (!nt_ws_ikev2_encr(fld[4], &encr, &bits) || !nt_ws_ikev2_integ(fld[7], &integ)) {
			fprintf(stderr, "  %s: \"%s\" / \"%s\"\n", rel, fld[4], fld[7]);
			continue;
		}
		CHECK(nt_v2_encr_info(encr, &info));
		CHECK(nt_v2_integ_info(integ, &icv, &klen));
		if (encr != 11) { /* SK_e = cipher key + salt */
			size_t want = (bits ? bits : info.fixed_key_bits) / 8u + info.salt_len;
			CHECK_EQ(hex_bytes(fld[2]), want);
			CHECK_EQ(hex_bytes(fld[3]), want);
		}
		CHECK_EQ(hex_bytes(fld[5]), klen);
		CHECK_EQ(hex_bytes(fld[6]), klen);
	}
	fclose(f);
	return lines;
}

static size_t
check_esp_sa(const char *rel)
{
	FILE *f = open_corpus(rel);
	char line[2048], *fld[8];
	size_t lines = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		uint32_t encr, integ;
		uint16_t bits, icv, klen;
		struct nt_encr_info info;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (csv_split(line, fld, 8) != 8) {
			CHECK(0);
			continue;
		}
		lines++;
		CHECK(nt_ws_esp_encr(fld[4], &encr, &bits));
		CHECK(nt_ws_esp_integ(fld[6], &integ));
		if (!nt_ws_esp_encr(fld[4], &encr, &bits) || !nt_ws_esp_integ(fld[6], &integ)) {
			fprintf(stderr, "  %s: \"%s\" / \"%s\"\n", rel, fld[4], fld[6]);
			continue;
		}
		CHECK(nt_v2_encr_info(encr, &info));
		CHECK(nt_v2_integ_info(integ, &icv, &klen));
		if (info.fixed_key_bits)
			CHECK_EQ(hex_bytes(fld[5]), info.fixed_key_bits / 8u + info.salt_len);
		if (klen != 0)
			CHECK_EQ(hex_bytes(fld[7]), klen);
	}
	fclose(f);
	return lines;
}

static void
test_corpus_files(void)
{
	size_t n = 0;

	n += check_ikev2_table("wireshark/keys/ikev2_decryption_table");
	n += check_ikev2_table("tcpdump/wireshark-keys/ikev2pI2/ikev2_decryption_table");
	n += check_esp_sa("wireshark/keys/esp_sa");
	n += check_esp_sa("tcpdump/wireshark-keys/esp-secrets/esp_sa");
	n += check_esp_sa("tcpdump/wireshark-keys/esp1/esp_sa");
	if (n == 0)
		printf("test_names: shared corpus not found, key files not read\n");
	else
		printf("test_names: %zu key-file lines checked\n", n);
}

static void
test_v1_to_v2(void)
{
	uint32_t v;

	CHECK(nt_v1_p1_encr_to_v2(1, &v));
	CHECK_EQ(v, 2);
	CHECK(nt_v1_p1_encr_to_v2(5, &v));
	CHECK_EQ(v, 3);
	CHECK(nt_v1_p1_encr_to_v2(7, &v));
	CHECK_EQ(v, 12);
	CHECK(nt_v1_p1_encr_to_v2(8, &v));
	CHECK_EQ(v, 23);
	CHECK(!nt_v1_p1_encr_to_v2(0, &v));
	CHECK(!nt_v1_p1_encr_to_v2(9, &v));

	CHECK(nt_v1_hash_to_v2_prf(1, &v));
	CHECK_EQ(v, 1);
	CHECK(nt_v1_hash_to_v2_prf(2, &v));
	CHECK_EQ(v, 2);
	CHECK(nt_v1_hash_to_v2_prf(4, &v));
	CHECK_EQ(v, 5);
	CHECK(nt_v1_hash_to_v2_prf(6, &v));
	CHECK_EQ(v, 7);
	CHECK(!nt_v1_hash_to_v2_prf(7, &v));

	static const uint32_t same[] = {2, 3, 11, 12, 13, 14, 15, 16, 18, 19, 20};
	for (size_t k = 0; k < COUNT(same); k++) {
		CHECK(nt_v1_esp_to_v2_encr(same[k], &v));
		CHECK_EQ(v, same[k]);
	}
	CHECK(nt_v1_esp_to_v2_encr(23, &v)); /* ESP_NULL_AUTH_AES-GMAC */
	CHECK_EQ(v, 21);
	CHECK(nt_v1_esp_to_v2_encr(22, &v)); /* ESP_CAMELLIA */
	CHECK_EQ(v, 23);
	CHECK(!nt_v1_esp_to_v2_encr(21, &v)); /* SEED: no IKEv2 id */
	CHECK(!nt_v1_esp_to_v2_encr(10, &v)); /* RC4 */
	CHECK(!nt_v1_esp_to_v2_encr(17, &v));

	CHECK(nt_v1_p2_auth_to_v2_integ(1, &v));
	CHECK_EQ(v, 1);
	CHECK(nt_v1_p2_auth_to_v2_integ(2, &v));
	CHECK_EQ(v, 2);
	CHECK(nt_v1_p2_auth_to_v2_integ(5, &v));
	CHECK_EQ(v, 12);
	CHECK(nt_v1_p2_auth_to_v2_integ(6, &v));
	CHECK_EQ(v, 13);
	CHECK(nt_v1_p2_auth_to_v2_integ(7, &v));
	CHECK_EQ(v, 14);
	CHECK(nt_v1_p2_auth_to_v2_integ(8, &v));
	CHECK_EQ(v, NT_INTEG_HMAC_RIPEMD160_96);
	CHECK(nt_v1_p2_auth_to_v2_integ(9, &v));
	CHECK_EQ(v, 5);
	CHECK(nt_v1_p2_auth_to_v2_integ(11, &v));
	CHECK_EQ(v, 9);
	CHECK(nt_v1_p2_auth_to_v2_integ(13, &v));
	CHECK_EQ(v, 11);
	CHECK(!nt_v1_p2_auth_to_v2_integ(10, &v)); /* SIG-RSA */
	CHECK(!nt_v1_p2_auth_to_v2_integ(14, &v));
	CHECK(nt_v1_p2_auth_to_v2_integ(2, NULL));

	/* every mapped id has facts in the IKEv2 tables (or is a private id) */
	for (uint32_t k = 0; k < 64; k++) {
		if (nt_v1_p1_encr_to_v2(k, &v))
			CHECK(nt_name(NT_V2_ENCR, v) != NULL);
		if (nt_v1_esp_to_v2_encr(k, &v))
			CHECK(nt_name(NT_V2_ENCR, v) != NULL);
		if (nt_v1_hash_to_v2_prf(k, &v))
			CHECK(nt_name(NT_V2_PRF, v) != NULL);
		if (nt_v1_p2_auth_to_v2_integ(k, &v))
			CHECK(nt_name(NT_V2_INTEG, v) != NULL || v > 0xffff);
	}
}

int
main(void)
{
	test_walk();
	test_ikev1();
	test_ikev2();
	test_shared();
	test_encr_info();
	test_integ_info();
	test_ws_strings();
	test_corpus_strings();
	test_corpus_files();
	test_v1_to_v2();
	return check_done("test_names");
}
