/*
 * json.c - NDJSON records (CONTRACT.md): packet and anomaly records in
 * capture order, ike_sa / esp_flow / finding records when an SA closes or the
 * input ends.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/cli.h"
#include "src/diag/diag.h"
#include "src/output/describe.h"
#include "src/output/emit.h"
#include "src/output/out.h"
#include "src/output/records.h"

char *
out_time_rfc3339(tk_time t, char *buf, size_t len)
{
	time_t s = (time_t)(t / 1000000);
	long us = (long)(t % 1000000);
	if (us < 0) {
		us += 1000000;
		s -= 1;
	}
	struct tm tm;
	gmtime_r(&s, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, us);
	return buf;
}

struct jctx {
	struct emit e;
};

static void
begin(struct out *o, const char *record, unsigned file)
{
	struct jctx *j = o->ctx;
	emit_json_init(&j->e, o->fp);
	emit_obj(&j->e, NULL);
	emit_str(&j->e, "record", record);
	if (o->multi_file)
		emit_u64(&j->e, "file", file);
}

static void
finish(struct out *o)
{
	struct jctx *j = o->ctx;
	emit_end(&j->e);
	emit_json_newline(&j->e);
}

static void
j_packet(struct out *o, const struct pkt_view *pv)
{
	struct jctx *j = o->ctx;
	begin(o, "packet", pv->f->file);
	rec_packet_fields(&j->e, pv);
	finish(o);
}

static void
j_anomaly(struct out *o, unsigned file, uint64_t frame, size_t offset, const char *layer,
	  const char *payload, const char *what)
{
	struct jctx *j = o->ctx;
	begin(o, "anomaly", file);
	emit_u64(&j->e, "frame", frame);
	emit_u64(&j->e, "offset", offset);
	emit_str(&j->e, "layer", layer);
	emit_str(&j->e, "payload", payload);
	emit_str(&j->e, "what", what);
	finish(o);
}

static void
j_sa(struct out *o, const struct tk_sa *sa)
{
	struct jctx *j = o->ctx;
	begin(o, "ike_sa", sa->first.file);
	rec_sa_fields(&j->e, sa);
	finish(o);
}

static void
j_flow(struct out *o, const struct tk_flow *fl)
{
	struct jctx *j = o->ctx;
	begin(o, "esp_flow", fl->first.file);
	rec_flow_fields(&j->e, fl);
	finish(o);
}

static void
j_finding(struct out *o, const struct finding *fd)
{
	struct jctx *j = o->ctx;
	begin(o, "finding", fd->file);
	rec_finding_fields(&j->e, fd);
	finish(o);
}

static void
j_end(struct out *o, const struct run_info *ri)
{
	(void)ri;
	fflush(o->fp);
}

static void
j_free(struct out *o)
{
	free(o->ctx);
	free(o);
}

static const struct out_ops json_ops = {j_packet,  j_anomaly, j_sa,  j_flow,
					j_finding, j_end,     j_free};

struct out *
out_json_new(FILE *fp, const struct cli *c)
{
	struct out *o = calloc(1, sizeof *o);
	struct jctx *j = calloc(1, sizeof *j);
	if (!o || !j) {
		free(o);
		free(j);
		return NULL;
	}
	o->ops = &json_ops;
	o->ctx = j;
	o->fp = fp;
	o->cli = c;
	return o;
}
