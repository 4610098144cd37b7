/*
 * diag.c - the finding store: ids, merging of the same cause on the same
 * story (peer), severities, and the order findings are handed out.  The rules
 * themselves are in rules.c.
 */
#include "src/diag/diag.h"

#include <stdlib.h>
#include <string.h>

#include "src/diag/rules.h"

struct diag {
	struct finding *f;
	unsigned n, cap;
	unsigned next_emit;
	int worst;
	uint64_t esp_seen;
};

void
diag_set_esp_seen(struct diag *d, uint64_t n)
{
	d->esp_seen = n;
}

uint64_t
diag_esp_seen(const struct diag *d)
{
	return d->esp_seen;
}

const char *
diag_sev_name(enum diag_sev s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "info";
}

const char *
diag_conf_name(enum diag_conf c)
{
	return c == CONF_CERTAIN ? "certain" : c == CONF_LIKELY ? "likely" : "possible";
}

struct diag *
diag_new(void)
{
	struct diag *d = calloc(1, sizeof *d);
	if (d)
		d->worst = SEV_INFO + 1;
	return d;
}

void
diag_free(struct diag *d)
{
	if (!d)
		return;
	free(d->f);
	free(d);
}

struct finding *
diag_add(struct diag *d, const char *cause, enum diag_sev sev, enum diag_conf conf,
	 struct tk_sa *sa, struct tk_peer *peer)
{
	/* the same cause on the same story: one finding that names every SA */
	if (peer) {
		for (unsigned k = peer->nfids; k-- > 0;) {
			if (peer->fids[k] == 0 || peer->fids[k] > d->n)
				continue;
			struct finding *f = &d->f[peer->fids[k] - 1];
			if (f->peer == peer && f->emitted == false &&
			    strcmp(f->cause, cause) == 0 && f->confidence == conf) {
				if (sa && f->nsa < DIAG_MAX_SAS) {
					memcpy(f->sa_ispi[f->nsa], sa->ispi, 8);
					memcpy(f->sa_rspi[f->nsa], sa->rspi, 8);
					f->sa_ids[f->nsa] = sa->id;
					f->nsa++;
				}
				f->merged = true;
				return f;
			}
		}
	}
	if (d->n == d->cap) {
		unsigned nc = d->cap ? d->cap * 2 : 16;
		struct finding *nf = realloc(d->f, nc * sizeof *nf);
		if (!nf)
			return NULL;
		d->f = nf;
		d->cap = nc;
	}
	struct finding *f = &d->f[d->n++];
	memset(f, 0, sizeof *f);
	f->id = d->n;
	f->cause = cause;
	f->severity = sev;
	f->confidence = conf;
	f->peer = peer;
	if (sa) {
		memcpy(f->sa_ispi[0], sa->ispi, 8);
		memcpy(f->sa_rspi[0], sa->rspi, 8);
		f->sa_ids[0] = sa->id;
		f->nsa = 1;
		f->file = sa->first.file;
	}
	if ((int)sev < d->worst)
		d->worst = (int)sev;
	if (peer) {
		/* the peer remembers its newest findings to merge into */
		if (peer->nfids == sizeof peer->fids / sizeof peer->fids[0]) {
			memmove(peer->fids, peer->fids + 1,
				sizeof peer->fids - sizeof peer->fids[0]);
			peer->nfids--;
		}
		peer->fids[peer->nfids++] = f->id;
	}
	return f;
}

void
diag_frame(struct finding *f, const struct tk_ref *r)
{
	if (!f || !r || r->frame == 0)
		return;
	for (unsigned i = 0; i < f->nframes; i++)
		if (f->frames[i].frame == r->frame && f->frames[i].file == r->file)
			return;
	if (f->nframes >= DIAG_MAX_FRAMES)
		return;
	/* keep them in frame order */
	unsigned k = f->nframes;
	while (k > 0 && (f->frames[k - 1].file > r->file ||
			 (f->frames[k - 1].file == r->file && f->frames[k - 1].frame > r->frame))) {
		f->frames[k] = f->frames[k - 1];
		k--;
	}
	f->frames[k] = *r;
	f->nframes++;
}

void
diag_sa_link(struct tk_sa *sa, const struct finding *f)
{
	if (!f)
		return;
	for (unsigned i = 0; i < sa->nfindings; i++)
		if (sa->findings[i] == f->id)
			return;
	if (sa->nfindings < sizeof sa->findings / sizeof sa->findings[0])
		sa->findings[sa->nfindings++] = f->id;
}

void
diag_sa(struct diag *d, struct tk_sa *sa)
{
	rules_sa(d, sa);
}

void
diag_flow(struct diag *d, struct tk_flow *fl)
{
	rules_flow(d, fl);
}

void
diag_finish(struct diag *d)
{
	rules_finish(d);
}

const struct finding *
diag_next_unemitted(struct diag *d)
{
	while (d->next_emit < d->n) {
		struct finding *f = &d->f[d->next_emit++];
		if (!f->emitted) {
			f->emitted = true;
			return f;
		}
	}
	return NULL;
}

int
diag_worst(const struct diag *d)
{
	return d->worst;
}

const struct finding *
diag_get(const struct diag *d, unsigned id)
{
	return id >= 1 && id <= d->n ? &d->f[id - 1] : NULL;
}

unsigned
diag_count(const struct diag *d)
{
	return d->n;
}
