/* kx_stub.c - no key store yet: nothing to decrypt. */
#include "src/decrypt/kx.h"

void
kx_ike(struct kx_store *ks, struct tk_sa *sa, const struct cap_frame *f, struct ike_msg *m,
       struct arena *ar)
{
	(void)ks;
	(void)sa;
	(void)f;
	(void)m;
	(void)ar;
}

void
kx_sa_free(void *kx)
{
	(void)kx;
}
