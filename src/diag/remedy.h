/* remedy.h - fixes per cause, in each gateway's own words. */
#ifndef IKELENS_REMEDY_H
#define IKELENS_REMEDY_H

#include "src/diag/diag.h"
#include "src/track/track.h"

struct remedy_ctx {
	int version;	    /* 1 or 2 */
	char peer_addr[48]; /* the side whose configuration needs the change, as seen from the other
			     */
	char local_addr[48];		 /* the other side */
	const struct tk_xform *offer;	 /* phase-1 offer */
	const struct tk_xform *p2_offer; /* phase-2 offer (decrypted) */
	int32_t wanted_group;		 /* INVALID_KE_PAYLOAD */
};

void remedy_fill(struct finding *f, const struct remedy_ctx *c);
/* strongSwan proposal keywords for a transform set ("aes256-sha256-modp2048"); NULL if unknown. */
char *remedy_strongswan_proposal(const struct tk_xform *x, char *buf, size_t len);

#endif
