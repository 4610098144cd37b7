/*
 * out.h - what every consumer of the analysis receives: packet views in
 * capture order, anomalies, closed IKE SAs and ESP flows, findings, and the
 * end of the run.  Text, JSON, report and TUI implement these.
 */
#ifndef IKELENS_OUT_H
#define IKELENS_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dissect/ike.h"
#include "src/capture/capture.h"
#include "src/track/track.h"

struct finding;
struct diag;

struct pkt_view {
	const struct cap_frame *f;
	const struct ike_msg *ike; /* CAP_IKE with at least a header, else NULL */
	uint32_t spi, seq;	   /* CAP_ESP / CAP_AH */
	bool short_hdr;		   /* too short for its header (IKE, ESP or AH) */
	bool spi_only;		   /* ESP cut after the SPI: spi valid, seq not */
	uint8_t ah_next;	   /* AH next header */
	bool esp_in_ah;		   /* AH carrying ESP (RFC 4302 + 4303 on one packet) */
	uint32_t esp_spi, esp_seq; /* that ESP header */
	const struct tk_info *ti;  /* tracker's view (may be NULL) */
	tk_time t0;		   /* time of the first frame of the run */
	/* CAP_FRAGMENT, once its datagram is known */
	uint64_t reassembled_in; /* 0 = never completed */
	const char *esp_inner;	 /* decrypted ESP: one-line summary of the inner packet */
	bool esp_tried;		 /* a key was found for the SPI */
	bool esp_decrypted;
	bool esp_icv_checked, esp_icv_ok;
	const char *esp_error; /* why it did not decrypt */
};

struct run_info {
	uint64_t frames, matched, ike, esp, ah, keepalives, icmp, fragments;
	uint64_t anomalies;
	unsigned sas, flows, findings;
	unsigned nfiles;
	const char *const *files;
	tk_time first, last;
	int exit_status; /* 0 / 1 as CONTRACT.md (2 never reaches outputs) */
	bool live;
	uint64_t ps_drop;
	unsigned keys_loaded;
};

struct out;
struct out_ops {
	void (*packet)(struct out *o, const struct pkt_view *pv);
	void (*anomaly)(struct out *o, unsigned file, uint64_t frame, size_t offset,
			const char *layer, const char *payload, const char *what);
	void (*sa)(struct out *o, const struct tk_sa *sa);
	void (*flow)(struct out *o, const struct tk_flow *fl);
	void (*finding)(struct out *o, const struct finding *fd);
	void (*end)(struct out *o, const struct run_info *ri);
	void (*free)(struct out *o);
};

/* Writers write to o->fp, which the analysis swaps for a memory stream while
 * records must wait (an IP fragment whose datagram is not complete yet). */
struct out {
	const struct out_ops *ops;
	void *ctx;
	FILE *fp;
	const struct cli *cli;
	bool multi_file;       /* several inputs: records carry "file" */
	const struct diag *dg; /* findings, for writers that show them with their SA */
};

struct cli;
/* Constructors; each writes to fp. */
struct out *out_json_new(FILE *fp, const struct cli *c);
struct out *out_text_new(FILE *fp, const struct cli *c);
struct out *out_report_new(FILE *fp, const struct cli *c);

/* Time formats shared by the writers. */
/* RFC 3339 UTC with microseconds and Z: "2024-05-01T10:00:00.123456Z" */
char *out_time_rfc3339(tk_time t, char *buf, size_t len);

#endif
