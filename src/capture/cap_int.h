/*
 * cap_int.h - what the files of src/capture share: the capture object, the
 * frame decoder's entry point, and the gzip reader.  Not for use outside
 * src/capture.
 */
#ifndef IKELENS_CAP_INT_H
#define IKELENS_CAP_INT_H

#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <sys/types.h>

#include "dissect/net.h"
#include "src/capture/capture.h"
#include "src/capture/reasm.h"

/* A gzip-compressed input read through "gzip -dc" (and a feeder process
 * when the input cannot be handed to gzip directly). */
struct gz {
	pid_t pid;    /* gzip */
	pid_t feeder; /* copies a non-seekable input into gzip, or 0 */
	int errfd;    /* gzip's stderr */
	bool finished;
};

/* Returns a stream of the decompressed bytes of in (positioned at its start,
 * the peeked bytes pushed back or rewound), or NULL with a message. */
FILE *gz_open(FILE *in, const char *name, struct gz *g, char *err, size_t errlen);
/* After the decompressed stream ended: 0 if gzip succeeded, else -1 and its
 * complaint in err. */
int gz_finish(struct gz *g, const char *name, char *err, size_t errlen);
/* Stops and reaps the children (the stream must be closed first). */
void gz_close(struct gz *g);

struct cap {
	pcap_t *pcap;
	pcap_dumper_t *dumper;
	char *name; /* for messages: the path, "stdin", or the interface */
	unsigned file;
	int dlt; /* libpcap's link type */
	enum net_link link;
	bool link_ok; /* dlt is one we decode */
	bool live;
	bool nonblock; /* live: currently in non-blocking mode */
	bool ended;    /* input_end was called */
	bool unsupported_noted;
	bool gzipped;
	struct gz gz;
	volatile sig_atomic_t brk;
	uint64_t num; /* frames read */
	struct cap_stats st;
	struct reasm *ra;
	const struct cap_handler *h; /* while frames are processed */
	/* the frame being handled, for cap_dump_current; dumped: written
	 * to -w already (a frame can deliver a fragment and a datagram) */
	bool dumped;
	const struct pcap_pkthdr *cur_hdr;
	const uint8_t *cur_data;
	char what[256]; /* anomaly text */
};

/* The live filter for a link type: CAP_DEFAULT_FILTER and the user's, and on
 * Ethernet the same again behind a VLAN tag.  Returns the length (snprintf). */
size_t cap_filter_expr(int dlt, const char *user, char *out, size_t len);
/* Maps a DLT value to a decoder; false if ikelens cannot read it. */
bool cap_link_for_dlt(int dlt, enum net_link *link);
/* Decode one frame and hand what is interesting to c->h. */
void cap_process(struct cap *c, const struct pcap_pkthdr *ph, const uint8_t *bytes);
/* The input ended: give up pending fragments, then input_end (once). */
void cap_finish(struct cap *c);
/* The reassembly store's "gave up a datagram" callback. */
void cap_on_reasm_gone(void *ctx, const uint64_t *frames, unsigned n, enum reasm_why why);

#endif
