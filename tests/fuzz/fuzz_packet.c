/*
 * fuzz_packet.c - libFuzzer target for the whole packet path: capture layer
 * (link, IP, reassembly, UDP classification), the IKE dissector, the tracker
 * (SAs, retransmissions, phase 2, ESP flows), the diagnosis rules and both
 * writers (JSON and text), for a short sequence of frames.
 *
 * Input: one byte choosing the link type (Ethernet or raw IP) and the
 * writer, then frames as length (2 bytes, big-endian) + bytes.  Frames are
 * one second apart so retransmission timing and idle timeouts take part.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/analyze.h"
#include "src/capture/capture.h"
#include "src/cli.h"
#include "src/output/out.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	if (size < 1)
		return 0;
	struct cli c;
	memset(&c, 0, sizeof c);
	c.nfiles = 1;
	c.verbose = (data[0] & 4) != 0;
	c.idle_timeout = 5;
	struct out *o = (data[0] & 2) ? out_json_new(devnull, &c) : out_text_new(devnull, &c);
	if (!o)
		return 0;
	struct analysis *an = an_new(&c, &o, 1);
	char err[256];
	struct cap_limits lim = {4096, 4, 3};
	struct cap *cap = cap_open_null((data[0] & 1) ? 12 /* DLT_RAW */ : 1 /* EN10MB */, 0, &lim,
					err, sizeof err);
	if (!an || !cap) {
		if (cap)
			cap_close(cap);
		an_free(an);
		o->ops->free(o);
		return 0;
	}
	size_t off = 1;
	int64_t t = 1700000000;
	while (off + 2 <= size) {
		size_t n = (size_t)data[off] << 8 | data[off + 1];
		off += 2;
		if (n > size - off)
			n = size - off;
		uint8_t *frame = malloc(n ? n : 1);
		if (!frame)
			break;
		memcpy(frame, data + off, n);
		cap_feed_frame(cap, an_handler(an), t++, 0, frame, (uint32_t)n, (uint32_t)n);
		free(frame);
		off += n;
	}
	cap_feed_end(cap, an_handler(an));
	cap_close(cap);
	an_finish(an);
	an_free(an);
	o->ops->free(o);
	return 0;
}

#ifdef FUZZ_MAIN
#include "tests/fuzz/replay_main.h"
#endif
