/*
 * remedy.c - the fix for a cause, in the words of the usual gateways:
 * Cisco ASA and IOS commands, strongSwan swanctl.conf, Huawei VRP.  The
 * peer's address and the offered algorithms are filled in; a secret never
 * is (<key> stands for it).
 */
#include "src/diag/remedy.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dissect/names.h"

/* ---- algorithms in each vendor's words ---- */

static const char *
ss_encr(const struct tk_xform *x, char *b, size_t n)
{
	int kl = x->key_len > 0 ? x->key_len : 128;
	if (x->v2 || x->proto != 1) {
		uint32_t id = (uint32_t)x->encr;
		if (!x->v2 && x->proto != 1 && !nt_v1_esp_to_v2_encr(x->transform, &id))
			return NULL;
		switch (id) {
		case 3:
			return "3des";
		case 12:
			snprintf(b, n, "aes%d", kl);
			return b;
		case 13:
			snprintf(b, n, "aes%dctr", kl);
			return b;
		case 14:
			snprintf(b, n, "aes%dccm8", kl);
			return b;
		case 15:
			snprintf(b, n, "aes%dccm12", kl);
			return b;
		case 16:
			snprintf(b, n, "aes%dccm16", kl);
			return b;
		case 18:
			snprintf(b, n, "aes%dgcm8", kl);
			return b;
		case 19:
			snprintf(b, n, "aes%dgcm12", kl);
			return b;
		case 20:
			snprintf(b, n, "aes%dgcm16", kl);
			return b;
		case 28:
			return "chacha20poly1305";
		case 11:
			return "null";
		default:
			return NULL;
		}
	}
	switch (x->encr) {
	case 1:
		return "des";
	case 5:
		return "3des";
	case 7:
		snprintf(b, n, "aes%d", kl);
		return b;
	default:
		return NULL;
	}
}

static const char *
ss_hash(int32_t v1hash)
{
	switch (v1hash) {
	case 1:
		return "md5";
	case 2:
		return "sha1";
	case 4:
		return "sha256";
	case 5:
		return "sha384";
	case 6:
		return "sha512";
	default:
		return NULL;
	}
}

static const char *
ss_integ_v2(int32_t integ)
{
	switch (integ) {
	case 1:
		return "md5";
	case 2:
		return "sha1";
	case 5:
		return "aesxcbc";
	case 12:
		return "sha256";
	case 13:
		return "sha384";
	case 14:
		return "sha512";
	default:
		return NULL;
	}
}

static const char *
ss_integ_p2(int32_t v1auth)
{
	switch (v1auth) {
	case 1:
		return "md5";
	case 2:
		return "sha1";
	case 5:
		return "sha256";
	case 6:
		return "sha384";
	case 7:
		return "sha512";
	case 9:
		return "aesxcbc";
	default:
		return NULL;
	}
}

static const char *
ss_group(int32_t g)
{
	switch (g) {
	case 1:
		return "modp768";
	case 2:
		return "modp1024";
	case 5:
		return "modp1536";
	case 14:
		return "modp2048";
	case 15:
		return "modp3072";
	case 16:
		return "modp4096";
	case 17:
		return "modp6144";
	case 18:
		return "modp8192";
	case 19:
		return "ecp256";
	case 20:
		return "ecp384";
	case 21:
		return "ecp521";
	case 22:
		return "modp1024s160";
	case 23:
		return "modp2048s224";
	case 24:
		return "modp2048s256";
	case 25:
		return "ecp192";
	case 26:
		return "ecp224";
	case 27:
		return "ecp224bp";
	case 28:
		return "ecp256bp";
	case 29:
		return "ecp384bp";
	case 30:
		return "ecp512bp";
	case 31:
		return "curve25519";
	case 32:
		return "curve448";
	default:
		return NULL;
	}
}

char *
remedy_strongswan_proposal(const struct tk_xform *x, char *buf, size_t len)
{
	char eb[24];
	const char *e = ss_encr(x, eb, sizeof eb);
	const char *i = NULL, *g = NULL;
	buf[0] = '\0';
	if (!x->set || !e)
		return NULL;
	if (x->v2) {
		i = ss_integ_v2(x->integ);
		g = ss_group(x->group);
	} else if (x->proto == 1) {
		i = ss_hash(x->hash);
		g = ss_group(x->group);
	} else {
		i = ss_integ_p2(x->integ);
		g = x->group > 0 ? ss_group(x->group) : NULL;
	}
	snprintf(buf, len, "%s%s%s%s%s", e, i ? "-" : "", i ? i : "", g ? "-" : "", g ? g : "");
	return buf;
}

/* IOS "crypto isakmp policy" words, ASA "crypto ikev1 policy" words */
static void
cisco_p1(const struct tk_xform *x, char *ios, size_t il, char *asa, size_t al)
{
	const char *ie = "aes", *ae = "aes";
	char ieb[16] = "", aeb[16] = "";
	switch (x->encr) {
	case 1:
		ie = "des";
		ae = "des";
		break;
	case 5:
		ie = "3des";
		ae = "3des";
		break;
	case 7:
		if (x->key_len > 128) {
			snprintf(ieb, sizeof ieb, "aes %d", x->key_len);
			snprintf(aeb, sizeof aeb, "aes-%d", x->key_len);
			ie = ieb;
			ae = aeb;
		}
		break;
	default:
		break;
	}
	const char *h = x->hash == 1   ? "md5"
			: x->hash == 2 ? "sha"
			: x->hash == 4 ? "sha256"
			: x->hash == 5 ? "sha384"
			: x->hash == 6 ? "sha512"
				       : "sha256";
	const char *au = x->auth_method == 1 || x->auth_method == 65001 || x->auth_method == 65002
			     ? "pre-share"
			     : "rsa-sig";
	char life[32] = "";
	if (x->life_seconds > 0)
		snprintf(life, sizeof life, " / lifetime %lld", (long long)x->life_seconds);
	snprintf(
	    ios, il,
	    "crypto isakmp policy 10 / encryption %s / hash %s / authentication %s / group %d%s",
	    ie, h, au, x->group > 0 ? x->group : 14, life);
	snprintf(
	    asa, al,
	    "crypto ikev1 policy 10 / encryption %s / hash %s / authentication %s / group %d%s", ae,
	    h, au, x->group > 0 ? x->group : 14, life);
}

/* ---- the remedies per cause ---- */

static void add(struct finding *f, const char *vendor, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
add(struct finding *f, const char *vendor, const char *fmt, ...)
{
	if (f->nremedy >= DIAG_MAX_REMEDY)
		return;
	struct diag_remedy *r = &f->remedy[f->nremedy++];
	r->vendor = vendor;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->text, sizeof r->text, fmt, ap);
	va_end(ap);
}

void
remedy_fill(struct finding *f, const struct remedy_ctx *c)
{
	char buf[200];
	const char *peer = c->peer_addr[0] ? c->peer_addr : "<peer>";
	const char *me = c->local_addr[0] ? c->local_addr : "<peer>";
	bool v2 = c->version == 2;
	const char *cause = f->cause;
	f->nremedy = 0;

	if (strcmp(cause, "peer_unreachable") == 0) {
		add(f, "Network",
		    "check the route to %s and that UDP 500 (and 4500) pass every firewall "
		    "and ACL between the peers, both ways",
		    me);
		add(f, "Cisco ASA",
		    "crypto %s enable outside  (and the crypto map applied to that interface)",
		    v2 ? "ikev2" : "ikev1");
		add(f, "Cisco IOS",
		    "crypto map applied to the outside interface; no ACL dropping UDP 500");
		add(f, "strongSwan",
		    "charon running and listening on UDP 500 on %s (swanctl --list-conns)", me);
		add(f, "Huawei",
		    "ipsec policy applied to the outbound interface; security policy permits UDP 500");
	} else if (strcmp(cause, "p1_proposal_mismatch") == 0) {
		char ios[200], asa[200];
		const struct tk_xform *x = c->offer;
		if (x && x->set && !v2) {
			cisco_p1(x, ios, sizeof ios, asa, sizeof asa);
			add(f, "Cisco ASA", "%s", asa);
			add(f, "Cisco IOS", "%s  (IOS also refuses a lifetime longer than its own)",
			    ios);
		} else if (v2) {
			add(f, "Cisco ASA",
			    "crypto ikev2 policy 10 / encryption ... / integrity ... / group ... / prf ... "
			    "matching one proposal the initiator offers");
			add(f, "Cisco IOS",
			    "crypto ikev2 proposal P / encryption ... / integrity ... / group ... ; "
			    "crypto ikev2 policy POL / proposal P");
		}
		if (x && remedy_strongswan_proposal(x, buf, sizeof buf))
			add(f, "strongSwan",
			    "proposals = %s  (on the responder, or offer what it accepts)", buf);
		else
			add(f, "strongSwan", "proposals = <one the other side accepts>");
		add(f, "Huawei",
		    "ike proposal 10 / encryption-algorithm ... / %s ... / dh ... matching the offer",
		    v2 ? "integrity-algorithm" : "authentication-algorithm");
	} else if (strcmp(cause, "responder_no_key") == 0) {
		add(f, "Cisco ASA",
		    "tunnel-group %s type ipsec-l2l / tunnel-group %s ipsec-attributes / "
		    "%s pre-shared-key <key>",
		    peer, peer, v2 ? "ikev2 remote-authentication" : "ikev1");
		add(f, "Cisco IOS",
		    v2 ? "crypto ikev2 keyring K / peer P / address %s / pre-shared-key <key>"
		       : "crypto isakmp key <key> address %s",
		    peer);
		add(f, "strongSwan",
		    "a connection whose remote_addrs includes %s, and secrets { ike-1 { id = %s "
		    "secret = <key> } }",
		    peer, peer);
		add(f, "Huawei",
		    "ike peer <name> / remote-address %s / pre-shared-key cipher <key>", peer);
	} else if (strcmp(cause, "psk_mismatch") == 0) {
		add(f, "Cisco ASA", "tunnel-group %s ipsec-attributes / %s <key>", peer,
		    v2 ? "ikev2 remote-authentication pre-shared-key" : "ikev1 pre-shared-key");
		add(f, "Cisco IOS",
		    v2 ? "crypto ikev2 keyring K / peer P / address %s / pre-shared-key <key>"
		       : "crypto isakmp key <key> address %s",
		    peer);
		add(f, "strongSwan", "secrets { ike-1 { id = %s  secret = <key> } }", peer);
		add(f, "Huawei", "ike peer <name> / pre-shared-key cipher <key>");
	} else if (strcmp(cause, "auth_failed") == 0 || strcmp(cause, "id_mismatch") == 0) {
		add(f, "All",
		    "compare each side's local identity with what the other side expects as remote "
		    "identity, and the authentication method and key/certificate for it");
		add(f, "Cisco ASA",
		    "tunnel-group %s ipsec-attributes (keys); crypto isakmp identity address|hostname",
		    peer);
		add(f, "Cisco IOS",
		    v2 ? "crypto ikev2 profile / match identity remote ... / identity local ..."
		       : "crypto isakmp identity address|hostname; crypto isakmp profile match identity");
		add(f, "strongSwan",
		    "local { id = ... } and remote { id = ... } of the connection, and the secret "
		    "for that id");
		add(f, "Huawei", "ike peer <name> / local-id-type ... / remote-id ...");
	} else if (strcmp(cause, "natt_blocked") == 0) {
		add(f, "Network",
		    "let UDP 4500 through every firewall between %s and %s, both ways (and keep "
		    "NAT mappings for it)",
		    me, peer);
		add(f, "Cisco ASA", "crypto isakmp nat-traversal 20");
		add(f, "Cisco IOS",
		    "crypto isakmp nat keepalive 20  (NAT-T itself is on by default)");
		add(f, "strongSwan",
		    "encap = yes only where NAT is certain; check that the firewall allows UDP 4500");
		add(f, "Huawei", "ike peer <name> / nat traversal");
	} else if (strcmp(cause, "aggressive_mode_refused") == 0) {
		add(f, "Cisco ASA", "no crypto ikev1 am-disable  (better: use main mode or IKEv2)");
		add(f, "Cisco IOS",
		    "crypto isakmp profile with 'initiate mode aggressive' and a matching keyring");
		add(f, "strongSwan",
		    "aggressive = yes on both ends (responder also needs "
		    "i_dont_care_about_security_and_use_aggressive_mode_psk for PSK)");
		add(f, "Huawei", "ike peer <name> / exchange-mode aggressive");
	} else if (strcmp(cause, "p2_proposal_mismatch") == 0 ||
		   strcmp(cause, "p2_rejected") == 0 || strcmp(cause, "pfs_mismatch") == 0) {
		add(f, "Cisco ASA",
		    "crypto ipsec %s  and  crypto map <map> <seq> set pfs <group> "
		    "(or no set pfs) to match the peer",
		    v2 ? "ikev2 ipsec-proposal P / protocol esp encryption ... / protocol esp integrity ..."
		       : "ikev1 transform-set TS esp-aes-256 esp-sha-hmac");
		add(f, "Cisco IOS",
		    "crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac; crypto map M 10 / "
		    "set pfs group14 (or no set pfs)");
		if (c->p2_offer && remedy_strongswan_proposal(c->p2_offer, buf, sizeof buf))
			add(f, "strongSwan", "esp_proposals = %s  (a DH group here means PFS)",
			    buf);
		else
			add(f, "strongSwan",
			    "esp_proposals = <the same on both ends; a DH group in it means PFS>");
		add(f, "Huawei",
		    "ipsec proposal P / esp encryption-algorithm ... / esp authentication-algorithm ...; "
		    "ipsec policy ... / pfs dh-group14");
		if (strcmp(cause, "p2_rejected") == 0)
			add(f, "All",
			    "also compare the proxy IDs (crypto ACL / traffic selectors): they must be "
			    "mirror images");
	} else if (strcmp(cause, "proxy_id_mismatch") == 0) {
		add(f, "Cisco ASA",
		    "access-list <crypto-acl> extended permit ip <local net> <remote net>, the "
		    "mirror image of the peer's");
		add(f, "Cisco IOS", "ip access-list extended <crypto-acl> mirrored on the peer");
		add(f, "strongSwan", "local_ts / remote_ts of the child, swapped on the other end");
		add(f, "Huawei",
		    "acl number 3000 / rule permit ip source ... destination ... mirrored on the peer");
	} else if (strcmp(cause, "p2_no_response") == 0) {
		add(f, "All",
		    "the peer is up (phase 1 works) but ignores quick mode: look at its log for the "
		    "reason; check that both ends agree on the crypto ACL / traffic selectors and PFS");
		add(f, "Cisco IOS", "debug crypto ipsec on the peer");
		add(f, "strongSwan", "swanctl --log on the peer");
	} else if (strcmp(cause, "invalid_ke_retry") == 0) {
		add(f, "strongSwan", "put the group the responder wants first: proposals = ...-%s",
		    c->wanted_group >= 0 && ss_group(c->wanted_group) ? ss_group(c->wanted_group)
								      : "<group>");
		add(f, "Cisco IOS", "crypto ikev2 proposal P / group %d listed first",
		    c->wanted_group >= 0 ? c->wanted_group : 14);
	} else if (strcmp(cause, "fragmentation_loss") == 0) {
		add(f, "Cisco IOS",
		    v2 ? "crypto ikev2 fragmentation mtu 1360" : "crypto isakmp fragmentation");
		add(f, "Cisco ASA",
		    v2 ? "crypto ikev2 fragmentation mtu 1360"
		       : "IKEv1 fragmentation: both ends "
			 "must announce it");
		add(f, "strongSwan", "fragmentation = yes  (both ends must announce it)");
		add(f, "Huawei", "ikev2 fragmentation mtu 1360  (both ends)");
		add(f, "Network",
		    "or let IP fragments of UDP 500/4500 through the firewalls on the path");
	} else if (strcmp(cause, "initiator_abandoned") == 0) {
		add(f, "All",
		    "if the initiator is yours, its log says why it did not continue (often: it "
		    "could not accept the responder's answer); if not, it may be a scanner");
	} else if (strcmp(cause, "version_mismatch") == 0) {
		add(f, "Cisco ASA",
		    "crypto map <map> <seq> set %s ... and crypto %s enable outside",
		    v2 ? "ikev2 ipsec-proposal" : "ikev1 transform-set", v2 ? "ikev2" : "ikev1");
		add(f, "strongSwan",
		    "version = 1 or version = 2 in the connection, the same on both ends");
		add(f, "Huawei", "ike peer <name> / undo version 1|2");
	} else if (strcmp(cause, "dead_peer") == 0) {
		add(f, "All",
		    "the peer stopped answering liveness checks: check its state and the path; "
		    "the SA will be torn down and rebuilt");
		add(f, "strongSwan", "dpd_delay = 30s, dpd_action = restart");
		add(f, "Cisco IOS", "crypto isakmp keepalive 10 3 periodic");
	} else if (strcmp(cause, "esp_one_way") == 0 || strcmp(cause, "esp_blocked") == 0) {
		add(f, "Network",
		    "let ESP (IP protocol 50) or UDP 4500 through both ways; check routing "
		    "of the protected networks into the tunnel on the silent side");
		add(f, "Cisco ASA",
		    "nat exemption (identity NAT) for the protected networks; sysopt "
		    "connection permit-vpn");
		add(f, "Cisco IOS",
		    "NAT exemption for the protected networks (deny them in the NAT ACL)");
		add(f, "strongSwan",
		    "routes/policies installed (ip xfrm policy), firewall FORWARD rules for "
		    "the protected networks");
	} else if (strcmp(cause, "weak_crypto") == 0) {
		add(f, "strongSwan",
		    "proposals = aes256gcm16-prfsha256-ecp256 (IKEv2), esp_proposals = aes256gcm16-ecp256");
		add(f, "Cisco IOS",
		    "crypto ikev2 proposal P / encryption aes-gcm-256 / prf sha256 / group 19");
		add(f, "Cisco ASA",
		    "crypto ikev2 policy 10 / encryption aes-gcm-256 / integrity null / group 19 / prf sha256");
	} else if (strcmp(cause, "natt_mode_mismatch") == 0) {
		add(f, "Cisco ASA", "crypto isakmp nat-traversal 20");
		add(f, "strongSwan",
		    "NAT-T is always on; the other end must announce it (RFC 3947 vendor ID)");
		add(f, "Huawei", "ike peer <name> / nat traversal");
	}
}
