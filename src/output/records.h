/* records.h - record fields (CONTRACT.md) for any emit backend. */
#ifndef IKELENS_RECORDS_H
#define IKELENS_RECORDS_H

#include "src/diag/diag.h"
#include "src/output/emit.h"
#include "src/output/out.h"
#include "src/track/track.h"

void rec_packet_fields(struct emit *e, const struct pkt_view *pv);
void rec_sa_fields(struct emit *e, const struct tk_sa *sa);
void rec_flow_fields(struct emit *e, const struct tk_flow *fl);
void rec_finding_fields(struct emit *e, const struct finding *fd);

#endif
