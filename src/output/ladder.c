/*
 * ladder.c - a message in the words of a ladder row: the payloads that
 * matter to the reader (SA offer/accepted, KE, Ni/Nr, IDs, notifies by
 * name), or what the encryption leaves visible.  Shared by the text output
 * and the report.
 */
#include "src/output/ladder.h"

#include "dissect/ike.h"
#include "dissect/names.h"
#include "src/output/sbuf.h"

void
ladder_what(const struct tk_sa *sa, const struct tk_msg *m, char *buf, size_t len)
{
	struct sbuf s = {buf, 0, len};
	bool v2 = sa->version == 2;
	if (len == 0)
		return;
	buf[0] = '\0';
	if (m->ike_fragment && m->frag_total)
		sb_printf(&s, "fragment %u/%u ", m->frag_num, m->frag_total);
	else if (m->ike_fragment)
		sb_printf(&s, "fragment %u ", m->frag_num);
	if (m->encrypted && !m->decrypted) {
		const char *first = v2 ? nt_name(NT_V2_PAYLOAD, m->first_payload) : NULL;
		if (!v2 || (m->ike_fragment && m->frag_num > 1))
			sb_printf(&s, "[encrypted]");
		else if (m->first_payload == 0)
			sb_printf(&s, "[encrypted, empty]");
		else
			sb_printf(&s, "[encrypted, %s first]", first ? first : "?");
		return;
	}
	bool any = false;
	for (unsigned i = 0; i < m->nptypes; i++) {
		uint8_t t = m->ptypes[i];
		/* vendor IDs and the envelopes say nothing here; notifies by name below */
		if (t == (v2 ? IKE2_V : IKE1_VID) || t == (v2 ? IKE2_N : IKE1_N) ||
		    (v2 && (t == IKE2_SK || t == IKE2_SKF)) || (!v2 && t == IKE1_FRAG))
			continue;
		const char *n = nt_name(v2 ? NT_V2_PAYLOAD : NT_V1_PAYLOAD, t);
		if (t == (v2 ? IKE2_SA : IKE1_SA))
			n = m->label == TL_MM1 || m->label == TL_AM1 || m->label == TL_SA_INIT_REQ
				? "SA offer"
			    : m->label == TL_MM2 || m->label == TL_AM2 ||
				    m->label == TL_SA_INIT_RESP
				? "SA accepted"
				: "SA";
		if (t == (v2 ? IKE2_NONCE : IKE1_NONCE))
			n = m->from == TK_I ? "Ni" : "Nr";
		if (n)
			sb_printf(&s, "%s%s", any ? ", " : "", n);
		else
			sb_printf(&s, "%s%u", any ? ", " : "", t);
		any = true;
	}
	for (unsigned i = 0; i < m->nnotify; i++) {
		uint16_t nt = m->notify[i];
		if (nt == 16388 || nt == 16389)
			continue; /* NAT detection: the NAT line says it */
		const char *n = nt_short(v2 ? NT_V2_NOTIFY : NT_V1_NOTIFY, nt);
		if (n)
			sb_printf(&s, "%sN(%s)", any ? ", " : "", n);
		else
			sb_printf(&s, "%sN(%u)", any ? ", " : "", nt);
		any = true;
	}
	if (!any)
		sb_printf(&s, "-");
}
