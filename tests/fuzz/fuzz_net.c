/*
 * fuzz_net.c - libFuzzer target for the headers below IKE (dissect/net.h)
 * and the capture layer's frame path, IP reassembly included.
 *
 * Input: one byte choosing the link type, then frames, each as
 *   length (2 bytes, big-endian), cut (1 byte), then the frame's bytes.
 * The low 6 bits of cut are the bytes the snap length removed, in 8-byte
 * steps (wire length = captured + 8 * that); the top 2 bits advance the
 * capture clock by 20 s steps, so reassembly timeouts happen too.
 *
 * Each frame is copied into a buffer of exactly its size (so an over-read is
 * caught by ASan), run through the pure decoders directly, then fed to one
 * capture object (cap_open_null + cap_feed_frame) with small reassembly
 * limits, so the fragment store sees whole sequences, caps and evictions.
 *
 * Build with -fsanitize=fuzzer,address,undefined.  With -DFUZZ_NET_MAIN it
 * gets a main() that replays the files named on its command line.
 */
#include <stdlib.h>
#include <string.h>

#include "dissect/net.h"
#include "src/capture/capture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile uint8_t sink;

static void
touch(const uint8_t *p, size_t n)
{
	uint8_t x = 0;
	for (size_t i = 0; i < n; i++)
		x ^= p[i];
	sink ^= x;
}

static void
on_frame(void *ctx, const struct cap_frame *f)
{
	(void)ctx;
	touch(f->data, f->len);
	if (f->icmp_quote != NULL)
		touch(f->icmp_quote, f->icmp_quote_len);
	for (unsigned i = 0; i < f->nfrag_frames; i++)
		sink ^= (uint8_t)f->frag_frames[i];
	if (f->len > f->wire_len || (f->truncated != (f->len < f->wire_len)))
		abort(); /* the contract: len <= wire_len, truncated says which */
}

static void
on_anomaly(void *ctx, const struct cap_anomaly *a)
{
	(void)ctx;
	touch((const uint8_t *)a->what, strlen(a->what));
	touch((const uint8_t *)a->layer, strlen(a->layer));
}

static void
on_expired(void *ctx, unsigned file, const uint64_t *frames, unsigned n)
{
	(void)ctx;
	(void)file;
	for (unsigned i = 0; i < n; i++)
		sink ^= (uint8_t)frames[i];
}

static void
on_end(void *ctx, unsigned file)
{
	(void)ctx;
	(void)file;
}

static void
decoders(const uint8_t *d, size_t n, enum net_link link)
{
	struct cur c = cur_make(d, n);
	struct net_link_hdr lh;
	net_link_decode(link, &c, &lh);
	struct net_ip ip;
	if (net_ip_decode(&c, n, &ip) == NET_OK) {
		struct cur pl = ip.payload;
		touch(pl.p, cur_left(&pl));
		struct net_udp u;
		net_udp_decode(&pl, &u);
		pl = ip.payload;
		struct net_icmp m;
		if (net_icmp_decode(&pl, ip.version == 6, &m) == NET_OK)
			touch(m.quote.p, cur_left(&m.quote));
	}
	/* the raw bytes as an ICMP message of either family, and as IPv6
	 * extension headers starting with the first byte's value */
	struct net_icmp m;
	c = cur_make(d, n);
	net_icmp_decode(&c, false, &m);
	c = cur_make(d, n);
	net_icmp_decode(&c, true, &m);
	struct net_ip6_ext w;
	c = cur_make(d, n);
	net_ip6_walk(&c, n ? d[0] : 0, &w);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct {
		int dlt;
		enum net_link link;
	} links[] = {
	    {1, NET_LINK_ETHER}, {113, NET_LINK_SLL},  {276, NET_LINK_SLL2}, {12, NET_LINK_RAW},
	    {0, NET_LINK_NULL},	 {108, NET_LINK_LOOP}, {228, NET_LINK_RAW},  {229, NET_LINK_RAW},
	    {147, NET_LINK_RAW}, /* unsupported: counted, one anomaly */
	};
	struct cur in = cur_make(data, size);
	uint8_t sel = cur_u8(&in);
	if (!cur_ok(&in))
		return 0;
	size_t li = sel % (sizeof links / sizeof links[0]);

	char err[256];
	struct cap_limits lim = {48 * 1024, 8, 30};
	struct cap *c = cap_open_null(links[li].dlt, 0, &lim, err, sizeof err);
	if (c == NULL)
		return 0;
	struct cap_handler h = {on_frame, on_anomaly, on_expired, on_end, NULL};
	int64_t t = 1000;
	while (cur_left(&in) >= 3) {
		size_t len = cur_be16(&in);
		uint8_t cut = cur_u8(&in);
		if (len > cur_left(&in))
			len = cur_left(&in);
		const uint8_t *p = cur_bytes(&in, len);
		uint8_t *frame = malloc(len ? len : 1);
		if (frame == NULL)
			break;
		if (len)
			memcpy(frame, p, len);
		decoders(frame, len, links[li].link);
		uint32_t wire = (uint32_t)len + 8u * (cut & 0x3fu);
		t += 20 * (cut >> 6);
		cap_feed_frame(c, &h, t, 0, frame, (uint32_t)len, wire);
		free(frame);
	}
	cap_feed_end(c, &h);
	struct cap_stats st;
	cap_stats(c, &st);
	if (st.frames != st.matched + st.skipped + st.unsupported)
		abort();
	cap_close(c);
	return 0;
}

#ifdef FUZZ_NET_MAIN
#include <stdio.h>

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (f == NULL) {
			perror(argv[i]);
			return 1;
		}
		static uint8_t buf[1 << 20];
		size_t n = fread(buf, 1, sizeof buf, f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
	}
	return 0;
}
#endif
