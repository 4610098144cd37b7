/*
 * fuzz_ike.c - libFuzzer target for the ISAKMP message parser and the field
 * describer that turns it into JSON and the -V tree.
 *
 * Input: one option byte (bit 0: payload 15 is a draft NAT-D, bit 1: the
 * capture cut the message), then the ISAKMP message.  The message is copied
 * into a buffer of exactly its size so any over-read trips ASan.  After the
 * top-level parse, every IKEv2 SK payload's "plaintext" is parsed as an
 * inner chain too (as decryption would), so the inner walk is fuzzed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/ike.h"
#include "src/output/describe.h"
#include "src/output/emit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;
static struct arena ar;
static int ready;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ready) {
		devnull = fopen("/dev/null", "w");
		arena_init(&ar, 0);
		ready = 1;
	}
	if (size < 1)
		return 0;
	struct ike_parse_opts o;
	memset(&o, 0, sizeof o);
	o.pld15_is_natd = data[0] & 1;
	o.truncated = (data[0] & 2) != 0;
	o.wire_len = o.truncated ? (uint32_t)size + 64 : 0;
	size_t n = size - 1;
	uint8_t *buf = malloc(n ? n : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, n);

	arena_reset(&ar);
	struct ike_msg m;
	if (ike_parse(&ar, buf, n, &o, &m)) {
		/* pretend each SK body decrypted to itself: exercises the inner walk */
		for (unsigned i = 0; i < m.chain.n; i++) {
			struct ike_pld *p = &m.chain.p[i];
			if ((p->type == IKE2_SK || p->type == IKE2_SKF) && p->known && m.v2) {
				struct ike_chain *in = arena_alloc(&ar, sizeof *in);
				if (in) {
					ike_parse_chain(&ar, &m, p->u.sk.data, p->u.sk.len,
							p->u.sk.first_inner, p->u.sk.data_off, true,
							in);
					p->u.sk.inner = in;
				}
			}
		}
		if (!m.v2 && m.encrypted && m.enc_len) {
			ike_parse_chain(&ar, &m, m.enc, m.enc_len, m.np, IKE_HDR_LEN, true,
					&m.chain);
			m.decrypted = true;
		}
		struct emit e;
		emit_json_init(&e, devnull);
		describe_ike(&e, &m);
		emit_json_newline(&e);
		emit_tree_init(&e, devnull, 1);
		describe_ike(&e, &m);
		char tb[256];
		for (unsigned i = 0; i < m.chain.n; i++) {
			const struct ike_pld *p = &m.chain.p[i];
			if (p->known &&
			    (p->type == IKE1_ID || p->type == IKE2_IDI || p->type == IKE2_IDR))
				ike_id_text(m.v2, p->u.id.type, p->u.id.data, p->u.id.len, tb,
					    sizeof tb);
		}
	}
	free(buf);
	return 0;
}

#ifdef FUZZ_MAIN
#include "tests/fuzz/replay_main.h"
#endif
