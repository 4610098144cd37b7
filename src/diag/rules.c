/* rules.c - being written. */
#include "src/diag/rules.h"

void
rules_sa(struct diag *d, struct tk_sa *sa)
{
	(void)d;
	(void)sa;
}

void
rules_flow(struct diag *d, struct tk_flow *fl)
{
	(void)d;
	(void)fl;
}

void
rules_finish(struct diag *d)
{
	(void)d;
}
