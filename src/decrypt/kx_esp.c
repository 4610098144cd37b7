/*
 * kx_esp.c - ESP decryption (RFC 4303) with keys from a key file or derived
 * from the negotiations in the capture, and a one-line summary of the inner
 * packet.  One cipher context per flow, built once: no OpenSSL set-up and no
 * allocation per packet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/cursor.h"
#include "dissect/names.h"
#include "src/crypto/prim.h"
#include "src/decrypt/kx_int.h"
#include "src/track/track.h"

struct kx_flow {
	bool tried;
	struct ck_ctx *ctx;
	size_t iv_len, icv_len, block;
	uint32_t encr, integ;
	bool verify;
	bool aead;
	const char *why; /* why it cannot be decrypted */
};

void
kx_flow_free(void *p)
{
	struct kx_flow *x = p;
	if (!x)
		return;
	ck_ctx_free(x->ctx);
	free(x);
}

void
kx_rt_free(struct kx_store *ks)
{
	struct kx_rt *rt = ks->runtime;
	if (!rt)
		return;
	if (rt->esp) {
		ck_wipe(rt->esp, rt->capesp * sizeof *rt->esp);
		free(rt->esp);
	}
	if (rt->buf) {
		ck_wipe(rt->buf, rt->bufcap);
		free(rt->buf);
	}
	free(rt);
	ks->runtime = NULL;
}

static const struct kx_esp *
find_key(struct kx_store *ks, uint32_t spi, const struct addr *src, const struct addr *dst)
{
	const struct kx_esp *e = keys_esp(ks, spi, src, dst);
	if (e)
		return e;
	struct kx_rt *rt = ks->runtime;
	if (!rt)
		return NULL;
	/* derived keys: the SPI decides; addresses may differ behind NAT */
	const struct kx_esp *any = NULL;
	for (unsigned i = 0; i < rt->nesp; i++) {
		if (rt->esp[i].spi != spi)
			continue;
		if (addr_eq(&rt->esp[i].dst, dst))
			return &rt->esp[i];
		any = &rt->esp[i];
	}
	return any;
}

static void
setup(struct kx_store *ks, struct tk_flow *fl, struct kx_flow *x)
{
	x->tried = true;
	const struct kx_esp *e = find_key(ks, fl->spi, &fl->src, &fl->dst);
	if (!e) {
		x->why = "no key for this SPI";
		return;
	}
	x->encr = e->encr;
	x->integ = e->integ;
	x->aead = ck_encr_is_aead(e->encr);
	size_t kl = ck_encr_key_len(e->encr, e->key_bits);
	size_t sl = ck_encr_salt_len(e->encr);
	if (e->encr != CK_ENCR_NULL && kl == 0) {
		/* the key file gave a key: its length says which AES it is */
		kl = e->ekey.n > sl ? e->ekey.n - sl : 0;
	}
	if (e->encr != CK_ENCR_NULL && kl + sl != e->ekey.n) {
		x->why = "the encryption key has the wrong length for the cipher";
		return;
	}
	int err = 0;
	bool check = true;
	uint32_t integ = kx_integ_for_crypto(e->integ, &check);
	size_t alen = check ? e->akey.n : 0;
	x->ctx =
	    ck_ctx_new(e->encr, e->ekey.b, e->ekey.n, integ, alen ? e->akey.b : NULL, alen, &err);
	if (!x->ctx) {
		x->why = err == CK_EKEYLEN ? "a key has the wrong length for its algorithm"
					   : "the cipher or integrity algorithm is not supported";
		return;
	}
	x->iv_len = ck_ctx_iv_len(x->ctx);
	x->icv_len = e->icv_len ? e->icv_len : ck_ctx_icv_len(x->ctx);
	x->block = ck_ctx_block_len(x->ctx);
	x->verify = x->aead || alen > 0;
}

/* "ICMP echo request 10.1.0.1 -> 10.2.0.1 id 5 seq 1" */
static void
summarize(const uint8_t *p, size_t n, uint8_t nh, char *out, size_t len)
{
	struct cur c = cur_make(p, n);
	char a1[ADDR_STRLEN], a2[ADDR_STRLEN];
	uint8_t proto;
	if (nh == 4) {
		uint8_t vi = cur_u8(&c);
		cur_skip(&c, 8);
		proto = cur_u8(&c);
		cur_skip(&c, 2);
		const uint8_t *s = cur_bytes(&c, 4), *d = cur_bytes(&c, 4);
		if (!cur_ok(&c) || (vi >> 4) != 4 || (vi & 15) < 5) {
			snprintf(out, len, "IPv4 (malformed, %zu bytes)", n);
			return;
		}
		cur_skip(&c, ((size_t)(vi & 15) - 5) * 4);
		addr_str_raw(s, 4, a1, sizeof a1);
		addr_str_raw(d, 4, a2, sizeof a2);
	} else if (nh == 41) {
		uint8_t v = cur_u8(&c);
		cur_skip(&c, 5);
		proto = cur_u8(&c);
		cur_u8(&c);
		const uint8_t *s = cur_bytes(&c, 16), *d = cur_bytes(&c, 16);
		if (!cur_ok(&c) || (v >> 4) != 6) {
			snprintf(out, len, "IPv6 (malformed, %zu bytes)", n);
			return;
		}
		addr_str_raw(s, 16, a1, sizeof a1);
		addr_str_raw(d, 16, a2, sizeof a2);
	} else if (nh == 59) {
		snprintf(out, len, "dummy packet (TFC padding, %zu bytes)", n);
		return;
	} else {
		const char *pn = nt_short(NT_IP_PROTO, nh);
		if (pn)
			snprintf(out, len, "transport mode %s, %zu bytes", pn, n);
		else
			snprintf(out, len, "transport mode, protocol %u, %zu bytes", nh, n);
		return;
	}
	if (proto == 1 || proto == 58) {
		uint8_t type = cur_u8(&c), code = cur_u8(&c);
		cur_skip(&c, 2);
		uint16_t id = cur_be16(&c), seq = cur_be16(&c);
		bool echo = proto == 1 ? (type == 8 || type == 0) : (type == 128 || type == 129);
		bool req = proto == 1 ? type == 8 : type == 128;
		if (echo && cur_ok(&c))
			snprintf(out, len, "ICMP%s echo %s %s -> %s id %u seq %u",
				 proto == 58 ? "v6" : "", req ? "request" : "reply", a1, a2, id,
				 seq);
		else
			snprintf(out, len, "ICMP%s type %u code %u %s -> %s",
				 proto == 58 ? "v6" : "", type, code, a1, a2);
	} else if (proto == 6 || proto == 17) {
		uint16_t sp = cur_be16(&c), dp = cur_be16(&c);
		snprintf(out, len, "%s %s:%u -> %s:%u", proto == 6 ? "TCP" : "UDP", a1, sp, a2, dp);
	} else {
		const char *pn = nt_short(NT_IP_PROTO, proto);
		if (pn)
			snprintf(out, len, "%s %s -> %s", pn, a1, a2);
		else
			snprintf(out, len, "IP protocol %u %s -> %s", proto, a1, a2);
	}
}

void
kx_esp(struct kx_store *ks, struct tk_flow *fl, const struct cap_frame *f, struct kx_esp_result *r)
{
	memset(r, 0, sizeof *r);
	if (!ks || !fl || fl->proto != 50)
		return;
	struct kx_flow *x = fl->kx;
	if (!x) {
		x = calloc(1, sizeof *x);
		if (!x)
			return;
		fl->kx = x;
	}
	if (!x->tried || (!x->ctx && ks->runtime && !x->why)) {
		setup(ks, fl, x);
	} else if (!x->ctx) {
		/* keys derived later in the capture (quick mode after the first ESP) */
		struct kx_rt *rt0 = ks->runtime;
		if (rt0 && rt0->nesp && find_key(ks, fl->spi, &fl->src, &fl->dst))
			setup(ks, fl, x);
	}
	if (!x->ctx) {
		if (x->why && strcmp(x->why, "no key for this SPI") != 0) {
			r->tried = true;
			r->error = x->why;
		}
		return;
	}
	r->tried = true;
	struct kx_rt *rt = kx_rt_get(ks);
	if (f->truncated) {
		r->error = "the capture cut the packet";
		return;
	}
	size_t n = f->len;
	size_t hdr = 8;
	if (n < hdr + x->iv_len + x->icv_len + 2) {
		r->error = "too short for its IV, ICV and trailer";
		if (rt)
			rt->st.esp_failed++;
		return;
	}
	size_t ctlen = n - hdr - x->iv_len - x->icv_len;
	if (x->block > 1 && ctlen % x->block) {
		r->error =
		    "the ciphertext is not a whole number of cipher blocks (wrong algorithm?)";
		if (rt)
			rt->st.esp_failed++;
		return;
	}
	if (rt && rt->bufcap < ctlen + 16) {
		uint8_t *nb = realloc(rt->buf, ctlen + 1024);
		if (!nb)
			return;
		rt->buf = nb;
		rt->bufcap = ctlen + 1024;
	}
	if (!rt)
		return;
	const uint8_t *d = f->data;
	/* what precedes the IV: SPI | seq, the AAD of an AEAD (RFC 4106 5) and
	 * the start of what a separate ICV covers (RFC 4303 3.4.4) */
	int rc = ck_ctx_open(x->ctx, d, hdr, d + hdr, x->iv_len, d + hdr + x->iv_len, ctlen,
			     d + hdr + x->iv_len + ctlen, x->icv_len, x->verify, rt->buf);
	r->icv_checked = x->verify;
	if (rc != 0) {
		r->error = rc == CK_EAUTH ? "ICV mismatch" : "does not decrypt";
		r->icv_ok = false;
		rt->st.esp_failed++;
		return;
	}
	r->icv_ok = x->verify;
	/* RFC 4303 2.4-2.6: payload | padding | pad length | next header */
	uint8_t padlen = rt->buf[ctlen - 2];
	uint8_t nh = rt->buf[ctlen - 1];
	if ((size_t)padlen + 2 > ctlen) {
		r->error = "the pad length runs past the payload (wrong key?)";
		rt->st.esp_failed++;
		return;
	}
	/* the padding of RFC 4303 2.4 is 1, 2, 3 ...: wrong keys rarely fake it */
	for (size_t i = 0; i < padlen; i++)
		if (rt->buf[ctlen - 2 - padlen + i] != (uint8_t)(i + 1) && !x->verify) {
			r->error = "the padding is not 1, 2, 3 ...: wrong key";
			rt->st.esp_failed++;
			return;
		}
	r->decrypted = true;
	r->plain = rt->buf;
	r->plain_len = ctlen - 2 - padlen;
	r->next_header = nh;
	rt->st.esp_decrypted++;
	fl->decrypted++;
}

void
kx_esp_summary(const struct kx_esp_result *r, char *out, size_t len)
{
	if (!r->decrypted || !r->plain) {
		if (len)
			out[0] = '\0';
		return;
	}
	summarize(r->plain, r->plain_len, r->next_header, out, len);
}
