/* ike_int.h - shared between the files of the IKE dissector only. */
#ifndef IKELENS_IKE_INT_H
#define IKELENS_IKE_INT_H

#include "dissect/ike.h"

/* Decode a payload's body (p->body, p->body_len); body_off is its offset. */
void ike_pld_decode(struct arena *ar, struct ike_msg *m, struct ike_pld *p, uint32_t body_off);

void ike_anomalyf(struct arena *ar, struct ike_msg *m, uint32_t off, int payload, const char *fmt,
		  ...) __attribute__((format(printf, 5, 6)));

#endif
