/* rules.h - the rules that turn the tracker's model into findings. */
#ifndef IKELENS_RULES_H
#define IKELENS_RULES_H

#include "src/diag/diag.h"

/* Store side (diag.c): a new finding, or the existing one of the same cause
 * on the same peer (merged).  NULL only when out of memory. */
struct finding *diag_add(struct diag *d, const char *cause, enum diag_sev sev, enum diag_conf conf,
			 struct tk_sa *sa, struct tk_peer *peer);
void diag_frame(struct finding *f, const struct tk_ref *r);
void diag_sa_link(struct tk_sa *sa, const struct finding *f);

/* Rules (rules.c). */
void rules_sa(struct diag *d, struct tk_sa *sa);
void rules_flow(struct diag *d, struct tk_flow *fl);
void rules_finish(struct diag *d);

#endif
