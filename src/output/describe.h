/* describe.h - IKE messages as fields for any emit backend. */
#ifndef IKELENS_DESCRIBE_H
#define IKELENS_DESCRIBE_H

#include "dissect/ike.h"
#include "src/output/emit.h"

/* The "ike" object of a packet record (CONTRACT.md). */
void describe_ike(struct emit *e, const struct ike_msg *m);

#endif
