/*
 * test_capture.c - the capture layer: every link type, IPv4/IPv6 with
 * options and extension headers, UDP 500 / 4500 (RFC 3948), ESP and AH,
 * IP reassembly (order, duplicates, overlaps, caps, timeouts), ICMP errors
 * about IKE, truncation, gzip, stdin, several files, the loop controls, and
 * real captures from the shared corpus checked against their tshark dumps.
 *
 * The synthetic captures are written into a temporary directory from byte
 * arrays built here (pcap file header and records by hand).
 */
#include "src/capture/capture.h"
#include "src/capture/cap_int.h" /* cap_filter_expr */
#include "tests/unit/check.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <stdarg.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmpdir[256];

/* ------------------------------------------------------------------ */
/* Packet building                                                     */

struct pkt {
	uint8_t b[70000];
	size_t n;
};

static void
p_bytes(struct pkt *p, const void *x, size_t n)
{
	if (p->n + n <= sizeof p->b)
		memcpy(p->b + p->n, x, n);
	p->n += n;
}

static void
p_u8(struct pkt *p, unsigned v)
{
	uint8_t b = (uint8_t)v;
	p_bytes(p, &b, 1);
}

static void
p_be16(struct pkt *p, unsigned v)
{
	p_u8(p, v >> 8);
	p_u8(p, v);
}

static void
p_be32(struct pkt *p, uint32_t v)
{
	p_be16(p, v >> 16);
	p_be16(p, v & 0xffff);
}

static void
p_le32(struct pkt *p, uint32_t v)
{
	p_u8(p, v);
	p_u8(p, v >> 8);
	p_u8(p, v >> 16);
	p_u8(p, v >> 24);
}

static void
p_zero(struct pkt *p, size_t n)
{
	while (n--)
		p_u8(p, 0);
}

static const uint8_t A4[4] = {192, 0, 2, 1};
static const uint8_t B4[4] = {198, 51, 100, 2};
static const uint8_t A6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
static const uint8_t B6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
static const uint8_t ISPI[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};

/* Ethernet II header, then tags (tpid/vid pairs), then the type. */
static void
eth(struct pkt *p, unsigned type, const unsigned *tags, int ntags)
{
	static const uint8_t macs[12] = {0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2};
	p_bytes(p, macs, 12);
	for (int i = 0; i < ntags; i++) {
		p_be16(p, tags[2 * i]);
		p_be16(p, tags[2 * i + 1]); /* PCP 0, DEI 0, VID */
	}
	p_be16(p, type);
}

/* IPv4 header (RFC 791): fo = flags and offset as on the wire. */
static void
ip4(struct pkt *p, unsigned proto, unsigned id, unsigned fo, size_t payload, size_t optlen)
{
	size_t ihl = 20 + optlen;
	p_u8(p, 0x40 | (unsigned)(ihl / 4));
	p_u8(p, 0);
	p_be16(p, (unsigned)(ihl + payload));
	p_be16(p, id);
	p_be16(p, fo);
	p_u8(p, 64);
	p_u8(p, proto);
	p_be16(p, 0);
	p_bytes(p, A4, 4);
	p_bytes(p, B4, 4);
	for (size_t i = 0; i < optlen; i++)
		p_u8(p, i + 1 == optlen ? 0 : 1); /* NOPs, then end of options */
}

static void
ip6(struct pkt *p, unsigned nh, size_t payload)
{
	p_be32(p, 0x60000000u);
	p_be16(p, (unsigned)payload);
	p_u8(p, nh);
	p_u8(p, 64);
	p_bytes(p, A6, 16);
	p_bytes(p, B6, 16);
}

static void
udp(struct pkt *p, unsigned sport, unsigned dport, size_t payload)
{
	p_be16(p, sport);
	p_be16(p, dport);
	p_be16(p, (unsigned)(payload + 8));
	p_be16(p, 0);
}

/* A fake IKE message of n bytes (n >= 28): a header, then a pattern. */
static void
ike_msg(uint8_t *out, size_t n)
{
	memset(out, 0, n);
	memcpy(out, ISPI, 8);
	out[16] = 33;	/* SA */
	out[17] = 0x20; /* IKEv2 */
	out[18] = 34;	/* IKE_SA_INIT */
	out[19] = 0x08;
	out[24] = (uint8_t)(n >> 24);
	out[25] = (uint8_t)(n >> 16);
	out[26] = (uint8_t)(n >> 8);
	out[27] = (uint8_t)n;
	for (size_t i = 28; i < n; i++)
		out[i] = (uint8_t)(i * 7 + 3);
}

static void
p_ike(struct pkt *p, size_t n)
{
	uint8_t m[4096];
	ike_msg(m, n);
	p_bytes(p, m, n);
}

static uint64_t
fnv(const uint8_t *d, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ d[i]) * 1099511628211ull;
	return h;
}

/* ------------------------------------------------------------------ */
/* Writing capture files                                               */

static void
tpath(char *out, size_t len, const char *name)
{
	snprintf(out, len, "%s/%s", tmpdir, name);
}

static FILE *
pcap_new(const char *name, uint32_t linktype, uint32_t snaplen)
{
	char path[512];
	tpath(path, sizeof path, name);
	FILE *f = fopen(path, "wb");
	if (f == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		exit(1);
	}
	struct pkt h = {.n = 0};
	p_le32(&h, 0xa1b2c3d4u);
	p_u8(&h, 2), p_u8(&h, 0); /* version 2.4, little-endian */
	p_u8(&h, 4), p_u8(&h, 0);
	p_le32(&h, 0);
	p_le32(&h, 0);
	p_le32(&h, snaplen);
	p_le32(&h, linktype);
	fwrite(h.b, 1, h.n, f);
	return f;
}

static void
pcap_rec(FILE *f, uint32_t sec, uint32_t usec, const uint8_t *d, size_t caplen, size_t len)
{
	struct pkt h = {.n = 0};
	p_le32(&h, sec);
	p_le32(&h, usec);
	p_le32(&h, (uint32_t)caplen);
	p_le32(&h, (uint32_t)len);
	fwrite(h.b, 1, h.n, f);
	fwrite(d, 1, caplen, f);
}

/* A whole frame, 1 second apart per frame number. */
static void
pcap_pkt(FILE *f, const struct pkt *p)
{
	static uint32_t t = 1000;
	pcap_rec(f, t++, 250000, p->b, p->n, p->n);
}

/* ------------------------------------------------------------------ */
/* Recording what the capture layer says                               */

struct rec {
	enum cap_kind kind;
	unsigned file;
	uint64_t num;
	int64_t ts_sec;
	uint32_t ts_usec;
	int linktype;
	struct addr src, dst;
	uint8_t proto, ttl;
	uint32_t ip_id;
	uint16_t vlan, sport, dport;
	bool udp_encap, marker, truncated, reassembled, frag_more;
	size_t len, wire_len;
	uint8_t head[32];
	uint64_t hash;
	uint64_t frames[32];
	unsigned nframes;
	uint32_t frag_offset;
	uint16_t frag_sport, frag_dport;
	uint8_t icmp_type, icmp_code;
	struct addr icmp_src, icmp_dst;
	uint16_t icmp_sport, icmp_dport;
	uint8_t quote[32];
	size_t quote_len;
};

struct anom {
	uint64_t num;
	size_t off;
	char layer[16];
	char what[256];
};

struct expired {
	unsigned file;
	uint64_t frames[32];
	unsigned n;
};

struct log {
	struct rec r[1024];
	unsigned n;
	struct anom a[64];
	unsigned na;
	struct expired x[64];
	unsigned nx;
	unsigned ends;
	unsigned end_file;
	char events[4096]; /* "F1 F2 X1,2 A3 E" in callback order */
	struct cap *cap;
	bool dump;
	uint64_t break_at;
	struct cap_stats st;
};

static void ev(struct log *lg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
ev(struct log *lg, const char *fmt, ...)
{
	size_t n = strlen(lg->events);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(lg->events + n, sizeof lg->events - n, fmt, ap);
	va_end(ap);
}

static void
on_frame(void *ctx, const struct cap_frame *f)
{
	struct log *lg = ctx;
	ev(lg, "F%llu ", (unsigned long long)f->num);
	if (lg->dump)
		cap_dump_current(lg->cap);
	if (lg->break_at && f->num == lg->break_at)
		cap_break(lg->cap);
	if (lg->n >= sizeof lg->r / sizeof lg->r[0])
		return;
	struct rec *r = &lg->r[lg->n++];
	memset(r, 0, sizeof *r);
	r->kind = f->kind;
	r->file = f->file;
	r->num = f->num;
	r->ts_sec = f->ts_sec;
	r->ts_usec = f->ts_usec;
	r->linktype = f->linktype;
	r->src = f->src;
	r->dst = f->dst;
	r->proto = f->ip_proto;
	r->ttl = f->ttl;
	r->ip_id = f->ip_id;
	r->vlan = f->vlan;
	r->sport = f->sport;
	r->dport = f->dport;
	r->udp_encap = f->udp_encap;
	r->marker = f->non_esp_marker;
	r->truncated = f->truncated;
	r->reassembled = f->reassembled;
	r->frag_more = f->frag_more;
	r->len = f->len;
	r->wire_len = f->wire_len;
	memcpy(r->head, f->data, f->len < sizeof r->head ? f->len : sizeof r->head);
	r->hash = fnv(f->data, f->len);
	for (unsigned i = 0; i < f->nfrag_frames && i < 32; i++)
		r->frames[i] = f->frag_frames[i];
	r->nframes = f->nfrag_frames;
	r->frag_offset = f->frag_offset;
	r->frag_sport = f->frag_sport;
	r->frag_dport = f->frag_dport;
	r->icmp_type = f->icmp_type;
	r->icmp_code = f->icmp_code;
	r->icmp_src = f->icmp_src;
	r->icmp_dst = f->icmp_dst;
	r->icmp_sport = f->icmp_sport;
	r->icmp_dport = f->icmp_dport;
	r->quote_len = f->icmp_quote_len;
	if (f->icmp_quote)
		memcpy(r->quote, f->icmp_quote,
		       f->icmp_quote_len < sizeof r->quote ? f->icmp_quote_len : sizeof r->quote);
}

static void
on_anomaly(void *ctx, const struct cap_anomaly *a)
{
	struct log *lg = ctx;
	ev(lg, "A%llu ", (unsigned long long)a->num);
	if (lg->na >= sizeof lg->a / sizeof lg->a[0])
		return;
	struct anom *x = &lg->a[lg->na++];
	x->num = a->num;
	x->off = a->offset;
	snprintf(x->layer, sizeof x->layer, "%s", a->layer);
	snprintf(x->what, sizeof x->what, "%s", a->what);
}

static void
on_expired(void *ctx, unsigned file, const uint64_t *frames, unsigned n)
{
	struct log *lg = ctx;
	ev(lg, "X");
	for (unsigned i = 0; i < n; i++)
		ev(lg, "%s%llu", i ? "," : "", (unsigned long long)frames[i]);
	ev(lg, " ");
	if (lg->nx >= sizeof lg->x / sizeof lg->x[0])
		return;
	struct expired *x = &lg->x[lg->nx++];
	x->file = file;
	x->n = n;
	for (unsigned i = 0; i < n && i < 32; i++)
		x->frames[i] = frames[i];
}

static void
on_end(void *ctx, unsigned file)
{
	struct log *lg = ctx;
	ev(lg, "E");
	lg->ends++;
	lg->end_file = file;
}

static const struct cap_handler *
handler(struct log *lg)
{
	static struct cap_handler h;
	h = (struct cap_handler){on_frame, on_anomaly, on_expired, on_end, lg};
	return &h;
}

/* Open, read to the end, keep the stats, close.  The loop's return value, or
 * -100 when the open failed (message in err). */
static int
run(const char *path, unsigned idx, const struct cap_limits *lim, struct log *lg, char *err,
    size_t errlen)
{
	memset(lg, 0, sizeof *lg);
	err[0] = '\0';
	struct cap *c = cap_open_file(path, idx, lim, err, errlen);
	if (c == NULL)
		return -100;
	lg->cap = c;
	int rc = cap_loop(c, handler(lg), 0, err, errlen);
	cap_stats(c, &lg->st);
	cap_close(c);
	lg->cap = NULL;
	return rc;
}

static int
run_tmp(const char *name, const struct cap_limits *lim, struct log *lg)
{
	char path[512], err[512];
	tpath(path, sizeof path, name);
	int rc = run(path, 0, lim, lg, err, sizeof err);
	if (rc != 0)
		fprintf(stderr, "%s: rc %d: %s\n", name, rc, err);
	return rc;
}

static const struct rec *
rec_of(const struct log *lg, uint64_t num)
{
	for (unsigned i = 0; i < lg->n; i++)
		if (lg->r[i].num == num)
			return &lg->r[i];
	return NULL;
}

static bool
has_anomaly(const struct log *lg, uint64_t num, const char *layer, const char *needle)
{
	for (unsigned i = 0; i < lg->na; i++)
		if (lg->a[i].num == num && strcmp(lg->a[i].layer, layer) == 0 &&
		    strstr(lg->a[i].what, needle) != NULL)
			return true;
	return false;
}

static bool
addr_is(const struct addr *a, const char *text)
{
	char s[ADDR_STRLEN];
	addr_str(a, s, sizeof s);
	return strcmp(s, text) == 0;
}

/* The stats add up: every frame is matched, skipped or unsupported. */
static void
check_stats_sum(const struct log *lg)
{
	CHECK_EQ(lg->st.frames, lg->st.matched + lg->st.skipped + lg->st.unsupported);
	CHECK_EQ(lg->st.matched, lg->n);
}

/* ------------------------------------------------------------------ */
/* Link types                                                          */

#define IKE_LEN 60

static void
body_ike4(struct pkt *p, unsigned sport, unsigned dport)
{
	ip4(p, 17, 0x1234, 0, 8 + IKE_LEN, 0);
	udp(p, sport, dport, IKE_LEN);
	p_ike(p, IKE_LEN);
}

static void
body_ike6(struct pkt *p, unsigned sport, unsigned dport)
{
	ip6(p, 17, 8 + IKE_LEN);
	udp(p, sport, dport, IKE_LEN);
	p_ike(p, IKE_LEN);
}

static void
check_ike(const struct log *lg, uint64_t num, int v, uint16_t vlan)
{
	const struct rec *r = rec_of(lg, num);
	CHECK(r != NULL);
	if (r == NULL)
		return;
	CHECK_EQ(r->kind, CAP_IKE);
	CHECK_EQ(r->sport, 500);
	CHECK_EQ(r->dport, 500);
	CHECK_EQ(r->len, IKE_LEN);
	CHECK_EQ(r->wire_len, IKE_LEN);
	CHECK(!r->truncated);
	CHECK_MEM(r->head, ISPI, 8);
	CHECK_EQ(r->vlan, vlan);
	CHECK_EQ(r->proto, 17);
	CHECK(addr_is(&r->src, v == 4 ? "192.0.2.1" : "2001:db8::1"));
	CHECK(addr_is(&r->dst, v == 4 ? "198.51.100.2" : "2001:db8::2"));
}

static void
test_ethernet(void)
{
	FILE *f = pcap_new("ether.pcap", 1, 65535);
	struct pkt p;
	/* 1: plain */
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	body_ike4(&p, 500, 500);
	pcap_pkt(f, &p);
	/* 2: one 802.1Q tag */
	unsigned q[] = {0x8100, 100};
	p.n = 0;
	eth(&p, 0x0800, q, 1);
	body_ike4(&p, 500, 500);
	pcap_pkt(f, &p);
	/* 3: QinQ, 802.1ad outer + 802.1Q inner, IPv6 */
	unsigned qinq[] = {0x88a8, 200, 0x8100, 300};
	p.n = 0;
	eth(&p, 0x86dd, qinq, 2);
	body_ike6(&p, 500, 500);
	pcap_pkt(f, &p);
	/* 4: three tags with the pre-standard 0x9100 outer TPID */
	unsigned three[] = {0x9100, 7, 0x8100, 8, 0x8100, 9};
	p.n = 0;
	eth(&p, 0x0800, three, 3);
	body_ike4(&p, 500, 500);
	pcap_pkt(f, &p);
	/* 5: IEEE 802.3 length + LLC/SNAP (RFC 1042) */
	p.n = 0;
	static const uint8_t macs[12] = {0};
	p_bytes(&p, macs, 12);
	p_be16(&p, 8 + 20 + 8 + IKE_LEN);
	static const uint8_t snap[] = {0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00};
	p_bytes(&p, snap, sizeof snap);
	body_ike4(&p, 500, 500);
	pcap_pkt(f, &p);
	/* 6: ARP is not ours */
	p.n = 0;
	eth(&p, 0x0806, NULL, 0);
	p_zero(&p, 28);
	pcap_pkt(f, &p);
	/* 7: a frame that ends inside a VLAN tag (on the wire too) */
	p.n = 0;
	static const uint8_t cut[] = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x81, 0x00, 0x00};
	p_bytes(&p, cut, sizeof cut);
	pcap_pkt(f, &p);
	/* 8: Ethernet padding after a short IP datagram is not data */
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	ip4(&p, 17, 1, 0, 8 + 28, 0);
	udp(&p, 500, 500, 28);
	p_ike(&p, 28);
	p_zero(&p, 6);
	pcap_pkt(f, &p);
	fclose(f);

	struct log lg;
	CHECK_EQ(run_tmp("ether.pcap", NULL, &lg), 0);
	check_ike(&lg, 1, 4, 0);
	check_ike(&lg, 2, 4, 100);
	check_ike(&lg, 3, 6, 200);
	check_ike(&lg, 4, 4, 7);
	check_ike(&lg, 5, 4, 0);
	CHECK(rec_of(&lg, 6) == NULL);
	CHECK(rec_of(&lg, 7) == NULL);
	CHECK(has_anomaly(&lg, 7, "link", "VLAN tag"));
	const struct rec *r = rec_of(&lg, 8);
	CHECK(r != NULL && r->len == 28 && r->wire_len == 28);
	CHECK_EQ(lg.n, 6);
	CHECK_EQ(lg.r[0].linktype, 1);
	CHECK_EQ(lg.r[0].ttl, 64);
	CHECK_EQ(lg.r[0].ip_id, 0x1234);
	CHECK_EQ(lg.r[0].ts_sec >= 1000, 1);
	CHECK_EQ(lg.r[0].ts_usec, 250000);
	CHECK_EQ(lg.st.frames, 8);
	CHECK_EQ(lg.st.skipped, 2);
	CHECK_EQ(lg.ends, 1);
	check_stats_sum(&lg);
}

static void
test_sll(void)
{
	/* Linux cooked v1: packet type, ARPHRD, address length, address, protocol */
	FILE *f = pcap_new("sll.pcap", 113, 65535);
	struct pkt p = {.n = 0};
	p_be16(&p, 0); /* to us */
	p_be16(&p, 1); /* ARPHRD_ETHER */
	p_be16(&p, 6);
	p_zero(&p, 8);
	p_be16(&p, 0x0800);
	body_ike4(&p, 500, 500);
	pcap_pkt(f, &p);
	/* a tag the kernel did not strip */
	p.n = 0;
	p_be16(&p, 4);
	p_be16(&p, 1);
	p_be16(&p, 6);
	p_zero(&p, 8);
	p_be16(&p, 0x8100);
	p_be16(&p, 5);
	p_be16(&p, 0x86dd);
	body_ike6(&p, 500, 500);
	pcap_pkt(f, &p);
	fclose(f);

	/* Linux cooked v2: protocol, reserved, ifindex, ARPHRD, packet type,
	 * address length, address */
	f = pcap_new("sll2.pcap", 276, 65535);
	p.n = 0;
	p_be16(&p, 0x86dd);
	p_be16(&p, 0);
	p_be32(&p, 3);
	p_be16(&p, 1);
	p_u8(&p, 0);
	p_u8(&p, 6);
	p_zero(&p, 8);
	body_ike6(&p, 500, 500);
	pcap_pkt(f, &p);
	fclose(f);

	struct log lg;
	CHECK_EQ(run_tmp("sll.pcap", NULL, &lg), 0);
	CHECK_EQ(lg.n, 2);
	check_ike(&lg, 1, 4, 0);
	check_ike(&lg, 2, 6, 5);
	CHECK_EQ(lg.r[0].linktype, 113);
	CHECK_EQ(run_tmp("sll2.pcap", NULL, &lg), 0);
	CHECK_EQ(lg.n, 1);
	check_ike(&lg, 1, 6, 0);
	CHECK_EQ(lg.r[0].linktype, 276);
}

static void
test_raw(void)
{
	/* LINKTYPE_RAW (101) in the file; libpcap hands us its DLT_RAW */
	FILE *f = pcap_new("raw.pcap", 101, 65535);
	struct pkt p = {.n = 0};
	body_ike4(&p, 500, 500);
	pcap_pkt(f, &p);
	p.n = 0;
	body_ike6(&p, 500, 500);
	pcap_pkt(f, &p);
	p.n = 0;
	p_u8(&p, 0x50); /* version 5 */
	p_zero(&p, 30);
	pcap_pkt(f, &p);
	fclose(f);
	struct log lg;
	CHECK_EQ(run_tmp("raw.pcap", NULL, &lg), 0);
	CHECK_EQ(lg.n, 2);
	check_ike(&lg, 1, 4, 0);
	check_ike(&lg, 2, 6, 0);
	CHECK(has_anomaly(&lg, 3, "link", "neither 4 nor 6"));
	CHECK_EQ(lg.r[0].linktype, DLT_RAW);

	/* DLT_IPV4 and DLT_IPV6 */
	f = pcap_new("ipv4.pcap", 228, 65535);
	p.n = 0;
	body_ike4(&p, 500, 500);
	pcap_pkt(f, &p);
	fclose(f);
	CHECK_EQ(run_tmp("ipv4.pcap", NULL, &lg), 0);
	CHECK_EQ(lg.n, 1);
	check_ike(&lg, 1, 4, 0);
	CHECK_EQ(lg.r[0].linktype, 228);
	f = pcap_new("ipv6.pcap", 229, 65535);
	p.n = 0;
	body_ike6(&p, 500, 500);
	pcap_pkt(f, &p);
	fclose(f);
	CHECK_EQ(run_tmp("ipv6.pcap", NULL, &lg), 0);
	CHECK_EQ(lg.n, 1);
	check_ike(&lg, 1, 6, 0);
}

static void
test_loopback(void)
{
	/* DLT_NULL: the family in the writer's byte order.  AF_INET6 is 24
	 * (NetBSD, OpenBSD), 28 (FreeBSD), 30 (macOS). */
	FILE *f = pcap_new("null.pcap", 0, 65535);
	struct pkt p;
	static const struct {
		uint32_t af;
		bool be;
		int v;
	} fams[] = {{2, false, 4}, {24, false, 6}, {28, false, 6}, {30, false, 6},
		    {30, true, 6}, {2, true, 4},   {99, false, 0}};
	for (size_t i = 0; i < sizeof fams / sizeof fams[0]; i++) {
		p.n = 0;
		if (fams[i].be)
			p_be32(&p, fams[i].af);
		else
			p_le32(&p, fams[i].af);
		if (fams[i].v == 6)
			body_ike6(&p, 500, 500);
		else
			body_ike4(&p, 500, 500);
		pcap_pkt(f, &p);
	}
	fclose(f);
	struct log lg;
	CHECK_EQ(run_tmp("null.pcap", NULL, &lg), 0);
	CHECK_EQ(lg.n, 6);
	for (unsigned i = 0; i < 6; i++)
		check_ike(&lg, i + 1, fams[i].v, 0);
	CHECK(rec_of(&lg, 7) == NULL);
	CHECK_EQ(lg.r[0].linktype, 0);

	/* DLT_LOOP: network byte order */
	f = pcap_new("loop.pcap", 108, 65535);
	static const uint32_t lfam[] = {2, 24, 28, 30};
	for (size_t i = 0; i < 4; i++) {
		p.n = 0;
		p_be32(&p, lfam[i]);
		if (i == 0)
			body_ike4(&p, 500, 500);
		else
			body_ike6(&p, 500, 500);
		pcap_pkt(f, &p);
	}
	fclose(f);
	CHECK_EQ(run_tmp("loop.pcap", NULL, &lg), 0);
	CHECK_EQ(lg.n, 4);
	check_ike(&lg, 1, 4, 0);
	check_ike(&lg, 2, 6, 0);
	check_ike(&lg, 3, 6, 0);
	check_ike(&lg, 4, 6, 0);
}

static void
test_unsupported(void)
{
	FILE *f = pcap_new("capture.pcap", 147, 65535);
	struct pkt p = {.n = 0};
	body_ike4(&p, 500, 500);
	pcap_pkt(f, &p);
	fclose(f);
	char path[512], err[512], want[700];
	tpath(path, sizeof path, "capture.pcap");
	struct cap *c = cap_open_file(path, 0, NULL, err, sizeof err);
	CHECK(c == NULL);
	snprintf(want, sizeof want,
		 "%s: link type 147 (USER0) is not supported; supported: EN10MB, LINUX_SLL, "
		 "LINUX_SLL2, RAW, NULL, LOOP, IPV4, IPV6",
		 path);
	CHECK_STR(err, want);

	/* Frames fed on an object of a link type we cannot decode: counted, one
	 * anomaly however many frames. */
	struct log lg;
	memset(&lg, 0, sizeof lg);
	c = cap_open_null(147, 0, NULL, err, sizeof err);
	CHECK(c != NULL);
	lg.cap = c;
	for (int i = 0; i < 3; i++)
		cap_feed_frame(c, handler(&lg), 10, 0, p.b, (uint32_t)p.n, (uint32_t)p.n);
	cap_feed_end(c, handler(&lg));
	cap_stats(c, &lg.st);
	CHECK_EQ(lg.st.unsupported, 3);
	CHECK_EQ(lg.st.frames, 3);
	CHECK_EQ(lg.na, 1);
	CHECK(has_anomaly(&lg, 1, "link", "link type 147 (USER0)"));
	CHECK_EQ(lg.ends, 1);
	check_stats_sum(&lg);
	CHECK_EQ(cap_fd(c), -1);
	cap_close(c);
}

/* ------------------------------------------------------------------ */
/* IPv4, IPv6, transport classification                                */

static void
test_ip(void)
{
	FILE *f = pcap_new("ip.pcap", 1, 65535);
	struct pkt p;
	/* 1: IPv4 with 8 bytes of options */
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	ip4(&p, 17, 7, 0, 8 + IKE_LEN, 8);
	udp(&p, 500, 500, IKE_LEN);
	p_ike(&p, IKE_LEN);
	pcap_pkt(f, &p);
	/* 2: IPv6 hop-by-hop (8) -> routing (24) -> destination options (16) -> UDP */
	p.n = 0;
	eth(&p, 0x86dd, NULL, 0);
	ip6(&p, 0, 8 + 24 + 16 + 8 + IKE_LEN);
	p_u8(&p, 43), p_u8(&p, 0), p_zero(&p, 6);
	p_u8(&p, 60), p_u8(&p, 2), p_zero(&p, 22);
	p_u8(&p, 17), p_u8(&p, 1), p_zero(&p, 14);
	udp(&p, 500, 500, IKE_LEN);
	p_ike(&p, IKE_LEN);
	pcap_pkt(f, &p);
	/* 3: IPv6 hop-by-hop -> AH: AH is reported, not stepped over */
	p.n = 0;
	eth(&p, 0x86dd, NULL, 0);
	ip6(&p, 0, 8 + 24);
	p_u8(&p, 51), p_u8(&p, 0), p_zero(&p, 6);
	p_u8(&p, 50), p_u8(&p, 4), p_be16(&p, 0), p_be32(&p, 0xabcd0001u), p_be32(&p, 1);
	p_zero(&p, 12);
	pcap_pkt(f, &p);
	/* 4: IPv6 destination options -> ESP */
	p.n = 0;
	eth(&p, 0x86dd, NULL, 0);
	ip6(&p, 60, 8 + 24);
	p_u8(&p, 50), p_u8(&p, 0), p_zero(&p, 6);
	p_be32(&p, 0x01020304u), p_be32(&p, 9), p_zero(&p, 16);
	pcap_pkt(f, &p);
	/* 5: IPv6 extension header longer than the payload length says */
	p.n = 0;
	eth(&p, 0x86dd, NULL, 0);
	ip6(&p, 60, 8);
	p_u8(&p, 17), p_u8(&p, 3), p_zero(&p, 6);
	p_zero(&p, 24);
	pcap_pkt(f, &p);
	/* 6: IPv4 header length under 20 */
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	ip4(&p, 17, 1, 0, 8 + IKE_LEN, 0);
	p.b[14] = 0x44;
	udp(&p, 500, 500, IKE_LEN);
	p_ike(&p, IKE_LEN);
	pcap_pkt(f, &p);
	/* 7: IPv4 total length beyond the frame: anomaly, the frame is used */
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	ip4(&p, 17, 1, 0, 8 + IKE_LEN + 100, 0);
	udp(&p, 500, 500, IKE_LEN);
	p_ike(&p, IKE_LEN);
	pcap_pkt(f, &p);
	/* 8: the link says IPv4, the header says 6 */
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	body_ike6(&p, 500, 500);
	pcap_pkt(f, &p);
	/* 9: ESP by protocol number over IPv4 */
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	ip4(&p, 50, 1, 0, 40, 0);
	p_be32(&p, 0xdeadbeefu), p_be32(&p, 7), p_zero(&p, 32);
	pcap_pkt(f, &p);
	/* 10: AH by protocol number over IPv4 */
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	ip4(&p, 51, 1, 0, 24, 0);
	p_u8(&p, 4), p_u8(&p, 4), p_be16(&p, 0), p_be32(&p, 0xa0a0a0a0u), p_be32(&p, 3);
	p_zero(&p, 12);
	pcap_pkt(f, &p);
	/* 11: TCP is not ours */
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	ip4(&p, 6, 1, 0, 20, 0);
	p_zero(&p, 20);
	pcap_pkt(f, &p);
	fclose(f);

	struct log lg;
	CHECK_EQ(run_tmp("ip.pcap", NULL, &lg), 0);
	check_ike(&lg, 1, 4, 0);
	check_ike(&lg, 2, 6, 0);
	const struct rec *r = rec_of(&lg, 3);
	CHECK(r && r->kind == CAP_AH && r->proto == 51 && r->len == 24 && r->wire_len == 24);
	CHECK(r && r->head[0] == 50 && r->head[4] == 0xab);
	r = rec_of(&lg, 4);
	CHECK(r && r->kind == CAP_ESP && !r->udp_encap && r->proto == 50 && r->len == 24);
	CHECK(r && r->head[0] == 1 && r->head[3] == 4);
	CHECK(rec_of(&lg, 5) == NULL);
	CHECK(has_anomaly(&lg, 5, "ipv6", "run past the payload length"));
	CHECK(rec_of(&lg, 6) == NULL);
	CHECK(has_anomaly(&lg, 6, "ip", "header length under 20"));
	check_ike(&lg, 7, 4, 0);
	CHECK(has_anomaly(&lg, 7, "ip", "total length 188 exceeds the 88 bytes"));
	CHECK(rec_of(&lg, 8) == NULL);
	CHECK(has_anomaly(&lg, 8, "ipv6", "announces IPv4"));
	r = rec_of(&lg, 9);
	CHECK(r && r->kind == CAP_ESP && !r->udp_encap && r->len == 40 && r->sport == 0);
	CHECK(r && r->head[0] == 0xde && r->head[3] == 0xef);
	r = rec_of(&lg, 10);
	CHECK(r && r->kind == CAP_AH && r->len == 24 && r->head[4] == 0xa0);
	CHECK(rec_of(&lg, 11) == NULL);
	CHECK_EQ(lg.n, 7);
	check_stats_sum(&lg);
}

static void
test_udp(void)
{
	FILE *f = pcap_new("udp.pcap", 1, 65535);
	struct pkt p;
	/* 1: UDP 4500, non-ESP marker + IKE (RFC 3948 2.2) */
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	ip4(&p, 17, 1, 0, 8 + 4 + IKE_LEN, 0);
	udp(&p, 4500, 4500, 4 + IKE_LEN);
	p_be32(&p, 0);
	p_ike(&p, IKE_LEN);
	pcap_pkt(f, &p);
	/* 2: NAT-keepalive, a single 0xFF (2.3) */
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	ip4(&p, 17, 1, 0, 9, 0);
	udp(&p, 4500, 4500, 1);
	p_u8(&p, 0xff);
	pcap_pkt(f, &p);
	/* 3: ESP in UDP (2.1), from a NAT-translated source port */
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	ip4(&p, 17, 1, 0, 8 + 40, 0);
	udp(&p, 14500, 4500, 40);
	p_be32(&p, 0x11223344u), p_be32(&p, 1), p_zero(&p, 32);
	pcap_pkt(f, &p);
	/* 4: two bytes on 4500: none of the above */
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	ip4(&p, 17, 1, 0, 10, 0);
	udp(&p, 4500, 4500, 2);
	p_be16(&p, 0);
	pcap_pkt(f, &p);
	/* 5: one byte that is not 0xFF */
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	ip4(&p, 17, 1, 0, 9, 0);
	udp(&p, 4500, 4500, 1);
	p_u8(&p, 0);
	pcap_pkt(f, &p);
	/* 6: DNS is not ours */
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	ip4(&p, 17, 1, 0, 8 + 20, 0);
	udp(&p, 53, 1053, 20);
	p_zero(&p, 20);
	pcap_pkt(f, &p);
	/* 7: UDP length larger than the IP payload: anomaly, IP wins */
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	ip4(&p, 17, 1, 0, 8 + IKE_LEN, 0);
	udp(&p, 500, 500, IKE_LEN + 100);
	p_ike(&p, IKE_LEN);
	pcap_pkt(f, &p);
	/* 8: UDP length under 8 */
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	ip4(&p, 17, 1, 0, 8 + IKE_LEN, 0);
	p_be16(&p, 500), p_be16(&p, 500), p_be16(&p, 4), p_be16(&p, 0);
	p_ike(&p, IKE_LEN);
	pcap_pkt(f, &p);
	/* 9: UDP length shorter than the IP payload: the UDP length wins */
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	ip4(&p, 17, 1, 0, 8 + IKE_LEN + 10, 0);
	udp(&p, 500, 500, IKE_LEN);
	p_ike(&p, IKE_LEN);
	p_zero(&p, 10);
	pcap_pkt(f, &p);
	/* 10: IKE from a NAT-translated port to 500 */
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	body_ike4(&p, 1024, 500);
	pcap_pkt(f, &p);
	/* 11: IKE on 4500 over IPv6 */
	p.n = 0;
	eth(&p, 0x86dd, NULL, 0);
	ip6(&p, 17, 8 + 4 + IKE_LEN);
	udp(&p, 4500, 4500, 4 + IKE_LEN);
	p_be32(&p, 0);
	p_ike(&p, IKE_LEN);
	pcap_pkt(f, &p);
	fclose(f);

	struct log lg;
	CHECK_EQ(run_tmp("udp.pcap", NULL, &lg), 0);
	const struct rec *r = rec_of(&lg, 1);
	CHECK(r && r->kind == CAP_IKE && r->marker && r->len == IKE_LEN && r->wire_len == IKE_LEN &&
	      r->sport == 4500 && r->dport == 4500);
	CHECK(r && memcmp(r->head, ISPI, 8) == 0);
	r = rec_of(&lg, 2);
	CHECK(r && r->kind == CAP_NATT_KEEPALIVE && r->len == 1 && r->head[0] == 0xff);
	r = rec_of(&lg, 3);
	CHECK(r && r->kind == CAP_ESP && r->udp_encap && r->len == 40 && r->sport == 14500 &&
	      r->dport == 4500 && r->head[0] == 0x11 && r->head[3] == 0x44 && !r->marker);
	r = rec_of(&lg, 4);
	CHECK(r && r->kind == CAP_OTHER_UDP4500 && r->len == 2);
	r = rec_of(&lg, 5);
	CHECK(r && r->kind == CAP_OTHER_UDP4500 && r->len == 1);
	CHECK(rec_of(&lg, 6) == NULL);
	r = rec_of(&lg, 7);
	CHECK(r && r->kind == CAP_IKE && r->len == IKE_LEN && r->wire_len == IKE_LEN);
	CHECK(has_anomaly(&lg, 7, "udp", "UDP length 168 exceeds the 68 bytes"));
	CHECK(rec_of(&lg, 8) == NULL);
	CHECK(has_anomaly(&lg, 8, "udp", "less than the 8-byte"));
	r = rec_of(&lg, 9);
	CHECK(r && r->kind == CAP_IKE && r->len == IKE_LEN && r->wire_len == IKE_LEN);
	r = rec_of(&lg, 10);
	CHECK(r && r->kind == CAP_IKE && r->sport == 1024 && r->dport == 500);
	r = rec_of(&lg, 11);
	CHECK(r && r->kind == CAP_IKE && r->marker && addr_is(&r->src, "2001:db8::1"));
	CHECK_EQ(lg.na, 2);
	check_stats_sum(&lg);
}

static void
test_truncated(void)
{
	/* snap length 64: captured bytes end inside the IKE message */
	FILE *f = pcap_new("trunc.pcap", 1, 64);
	struct pkt p = {.n = 0};
	eth(&p, 0x0800, NULL, 0);
	ip4(&p, 17, 1, 0, 8 + 200, 0);
	udp(&p, 500, 500, 200);
	p_ike(&p, 200);
	pcap_rec(f, 1, 0, p.b, 64, p.n);
	/* 4500: the snap length cuts before the marker can be seen */
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	ip4(&p, 17, 1, 0, 8 + 4 + 200, 0);
	udp(&p, 4500, 4500, 4 + 200);
	p_be32(&p, 0);
	p_ike(&p, 200);
	pcap_rec(f, 2, 0, p.b, 14 + 20 + 8 + 2, p.n);
	/* 4500: cut after the marker */
	pcap_rec(f, 3, 0, p.b, 64, p.n);
	/* cut inside the IP header: nothing to say, and no anomaly */
	pcap_rec(f, 4, 0, p.b, 24, p.n);
	/* ESP cut short */
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	ip4(&p, 50, 1, 0, 100, 0);
	p_be32(&p, 0x55667788u), p_zero(&p, 96);
	pcap_rec(f, 5, 0, p.b, 14 + 20 + 12, p.n);
	fclose(f);

	struct log lg;
	CHECK_EQ(run_tmp("trunc.pcap", NULL, &lg), 0);
	const struct rec *r = rec_of(&lg, 1);
	CHECK(r && r->kind == CAP_IKE && r->truncated && r->len == 64 - 42 && r->wire_len == 200);
	r = rec_of(&lg, 2);
	CHECK(r && r->kind == CAP_OTHER_UDP4500 && r->truncated && r->len == 2 &&
	      r->wire_len == 204);
	r = rec_of(&lg, 3);
	CHECK(r && r->kind == CAP_IKE && r->marker && r->truncated && r->len == 64 - 46 &&
	      r->wire_len == 200);
	CHECK(rec_of(&lg, 4) == NULL);
	r = rec_of(&lg, 5);
	CHECK(r && r->kind == CAP_ESP && r->truncated && r->len == 12 && r->wire_len == 100);
	CHECK_EQ(lg.na, 0);
	check_stats_sum(&lg);
}

/* ------------------------------------------------------------------ */
/* IP fragments                                                        */

/* The UDP datagram (header included) the fragment tests cut up. */
static uint8_t dgram[4096];
static size_t dgram_len;

static void
make_dgram(unsigned sport, unsigned dport, bool marker, size_t ike_len)
{
	struct pkt p = {.n = 0};
	udp(&p, sport, dport, ike_len + (marker ? 4 : 0));
	if (marker)
		p_be32(&p, 0);
	p_ike(&p, ike_len);
	memcpy(dgram, p.b, p.n);
	dgram_len = p.n;
}

/* An Ethernet + IPv4 frame carrying bytes [off, off+len) of data. */
static void
frag4(struct pkt *p, unsigned proto, unsigned id, size_t off, size_t len, bool more,
      const uint8_t *data)
{
	p->n = 0;
	eth(p, 0x0800, NULL, 0);
	ip4(p, proto, id, (more ? 0x2000u : 0) | (unsigned)(off / 8), len, 0);
	p_bytes(p, data + off, len);
}

/* An Ethernet + IPv6 frame with a fragment header (RFC 8200 4.5). */
static void
frag6(struct pkt *p, unsigned nh, uint32_t id, size_t off, size_t len, bool more,
      const uint8_t *data)
{
	p->n = 0;
	eth(p, 0x86dd, NULL, 0);
	ip6(p, 44, 8 + len);
	p_u8(p, nh);
	p_u8(p, 0);
	p_be16(p, (unsigned)off | (more ? 1u : 0));
	p_be32(p, id);
	p_bytes(p, data + off, len);
}

static bool
frames_are(const uint64_t *got, unsigned n, const uint64_t *want, unsigned wn)
{
	if (n != wn)
		return false;
	for (unsigned i = 0; i < n; i++)
		if (got[i] != want[i])
			return false;
	return true;
}

#define FRAMES_ARE(got, n, ...)                                                                    \
	do {                                                                                       \
		static const uint64_t want_[] = {__VA_ARGS__};                                     \
		CHECK(frames_are((got), (n), want_, sizeof want_ / sizeof want_[0]));              \
	} while (0)

static void
check_reassembled_ike(const struct log *lg, uint64_t num, size_t ike_len, bool marker)
{
	const struct rec *r = rec_of(lg, num);
	CHECK(r != NULL);
	if (r == NULL)
		return;
	CHECK_EQ(r->kind, CAP_IKE);
	CHECK(r->reassembled);
	CHECK_EQ(r->marker, marker);
	CHECK_EQ(r->len, ike_len);
	CHECK_EQ(r->wire_len, ike_len);
	CHECK(!r->truncated);
	CHECK(r->hash == fnv(dgram + 8 + (marker ? 4 : 0), ike_len));
}

static void
test_frag_order(void)
{
	make_dgram(4500, 4500, true, 1188); /* 1200 bytes: 480 + 480 + 240 */
	struct pkt p;
	/* in order */
	FILE *f = pcap_new("frag_in.pcap", 1, 65535);
	frag4(&p, 17, 0x100, 0, 480, true, dgram);
	pcap_pkt(f, &p);
	frag4(&p, 17, 0x100, 480, 480, true, dgram);
	pcap_pkt(f, &p);
	frag4(&p, 17, 0x100, 960, 240, false, dgram);
	pcap_pkt(f, &p);
	fclose(f);
	struct log lg;
	CHECK_EQ(run_tmp("frag_in.pcap", NULL, &lg), 0);
	CHECK_EQ(lg.n, 3);
	const struct rec *r = rec_of(&lg, 1);
	CHECK(r && r->kind == CAP_FRAGMENT && r->frag_offset == 0 && r->frag_more &&
	      r->frag_sport == 4500 && r->frag_dport == 4500 && r->len == 480 && r->proto == 17 &&
	      r->ip_id == 0x100 && !r->reassembled);
	r = rec_of(&lg, 2);
	CHECK(r && r->kind == CAP_FRAGMENT && r->frag_offset == 480 && r->frag_sport == 4500);
	check_reassembled_ike(&lg, 3, 1188, true);
	r = rec_of(&lg, 3);
	CHECK(r && r->sport == 4500 && r->ip_id == 0x100);
	if (r)
		FRAMES_ARE(r->frames, r->nframes, 1, 2, 3);
	CHECK_STR(lg.events, "F1 F2 F3 E");
	CHECK_EQ(lg.st.reasm_done, 1);
	CHECK_EQ(lg.na, 0);
	check_stats_sum(&lg);

	/* reversed: ports are unknown until the first fragment comes */
	f = pcap_new("frag_rev.pcap", 1, 65535);
	frag4(&p, 17, 0x101, 960, 240, false, dgram);
	pcap_pkt(f, &p);
	frag4(&p, 17, 0x101, 480, 480, true, dgram);
	pcap_pkt(f, &p);
	frag4(&p, 17, 0x101, 0, 480, true, dgram);
	pcap_pkt(f, &p);
	fclose(f);
	CHECK_EQ(run_tmp("frag_rev.pcap", NULL, &lg), 0);
	r = rec_of(&lg, 1);
	CHECK(r && r->kind == CAP_FRAGMENT && r->frag_offset == 960 && !r->frag_more &&
	      r->frag_sport == 0);
	r = rec_of(&lg, 2);
	CHECK(r && r->kind == CAP_FRAGMENT && r->frag_offset == 480 && r->frag_more);
	check_reassembled_ike(&lg, 3, 1188, true);
	r = rec_of(&lg, 3);
	if (r)
		FRAMES_ARE(r->frames, r->nframes, 3, 2, 1);
	CHECK_EQ(lg.na, 0);

	/* a duplicate is no anomaly and is listed */
	f = pcap_new("frag_dup.pcap", 1, 65535);
	frag4(&p, 17, 0x102, 0, 480, true, dgram);
	pcap_pkt(f, &p);
	pcap_pkt(f, &p);
	frag4(&p, 17, 0x102, 480, 480, true, dgram);
	pcap_pkt(f, &p);
	frag4(&p, 17, 0x102, 960, 240, false, dgram);
	pcap_pkt(f, &p);
	fclose(f);
	CHECK_EQ(run_tmp("frag_dup.pcap", NULL, &lg), 0);
	CHECK_EQ(lg.n, 4);
	check_reassembled_ike(&lg, 4, 1188, true);
	r = rec_of(&lg, 4);
	if (r)
		FRAMES_ARE(r->frames, r->nframes, 1, 2, 3, 4);
	CHECK_EQ(lg.na, 0);

	/* an overlap with other bytes: the first-arrived bytes win, anomaly */
	uint8_t evil[4096];
	memcpy(evil, dgram, dgram_len);
	memset(evil + 240, 0xee, 240);
	f = pcap_new("frag_ovl.pcap", 1, 65535);
	frag4(&p, 17, 0x103, 0, 480, true, dgram);
	pcap_pkt(f, &p);
	frag4(&p, 17, 0x103, 240, 480, true, evil);
	pcap_pkt(f, &p);
	frag4(&p, 17, 0x103, 720, 480, false, dgram);
	pcap_pkt(f, &p);
	fclose(f);
	CHECK_EQ(run_tmp("frag_ovl.pcap", NULL, &lg), 0);
	check_reassembled_ike(&lg, 3, 1188, true);
	CHECK(has_anomaly(&lg, 2, "reassembly", "overlaps data already received"));
	r = rec_of(&lg, 3);
	if (r)
		FRAMES_ARE(r->frames, r->nframes, 1, 2, 3);

	/* two datagrams interleaved, one of them with the same id but another
	 * protocol (a different IPv4 key) */
	f = pcap_new("frag_mix.pcap", 1, 65535);
	frag4(&p, 17, 0x200, 0, 480, true, dgram);
	pcap_pkt(f, &p);
	frag4(&p, 17, 0x201, 960, 240, false, dgram);
	pcap_pkt(f, &p);
	frag4(&p, 50, 0x200, 0, 480, true, dgram);
	pcap_pkt(f, &p);
	frag4(&p, 17, 0x200, 480, 720, false, dgram);
	pcap_pkt(f, &p);
	frag4(&p, 17, 0x201, 0, 960, true, dgram);
	pcap_pkt(f, &p);
	frag4(&p, 50, 0x200, 480, 100, false, dgram);
	pcap_pkt(f, &p);
	fclose(f);
	CHECK_EQ(run_tmp("frag_mix.pcap", NULL, &lg), 0);
	check_reassembled_ike(&lg, 4, 1188, true);
	check_reassembled_ike(&lg, 5, 1188, true);
	r = rec_of(&lg, 4);
	if (r)
		FRAMES_ARE(r->frames, r->nframes, 1, 4);
	r = rec_of(&lg, 5);
	if (r)
		FRAMES_ARE(r->frames, r->nframes, 5, 2);
	r = rec_of(&lg, 6);
	CHECK(r && r->kind == CAP_ESP && r->reassembled && r->len == 580 && !r->udp_encap);
	if (r)
		FRAMES_ARE(r->frames, r->nframes, 3, 6);
	CHECK_EQ(lg.st.reasm_done, 3);
	CHECK_EQ(lg.nx, 0);
}

static void
test_frag6(void)
{
	struct pkt p;
	FILE *f = pcap_new("frag6.pcap", 1, 65535);
	/* UDP 500 right after the fragment header */
	make_dgram(500, 500, false, 1000); /* 1008 bytes */
	frag6(&p, 17, 0xabcdef01u, 0, 504, true, dgram);
	pcap_pkt(f, &p);
	frag6(&p, 17, 0xabcdef01u, 504, 504, false, dgram);
	pcap_pkt(f, &p);
	/* destination options inside the fragmentable part, then UDP 500 */
	uint8_t part[2048];
	part[0] = 17;
	part[1] = 0;
	memset(part + 2, 0, 6);
	make_dgram(500, 500, false, 600); /* 608 bytes */
	memcpy(part + 8, dgram, dgram_len);
	frag6(&p, 60, 7, 0, 304, true, part);
	pcap_pkt(f, &p);
	frag6(&p, 60, 7, 304, 312, false, part);
	pcap_pkt(f, &p);
	/* an atomic fragment (RFC 6946) is a whole packet */
	p.n = 0;
	eth(&p, 0x86dd, NULL, 0);
	ip6(&p, 44, 8 + 8 + IKE_LEN);
	p_u8(&p, 17), p_u8(&p, 0), p_be16(&p, 0), p_be32(&p, 99);
	udp(&p, 500, 500, IKE_LEN);
	p_ike(&p, IKE_LEN);
	pcap_pkt(f, &p);
	/* an overlap in IPv6 */
	make_dgram(500, 500, false, 1000);
	frag6(&p, 17, 8, 0, 504, true, dgram);
	pcap_pkt(f, &p);
	frag6(&p, 17, 8, 496, 512, false, dgram);
	pcap_pkt(f, &p);
	fclose(f);

	struct log lg;
	CHECK_EQ(run_tmp("frag6.pcap", NULL, &lg), 0);
	const struct rec *r = rec_of(&lg, 1);
	CHECK(r && r->kind == CAP_FRAGMENT && r->frag_sport == 500 && r->ip_id == 0xabcdef01u &&
	      r->proto == 17 && r->len == 504);
	r = rec_of(&lg, 2);
	CHECK(r && r->kind == CAP_IKE && r->reassembled && r->len == 1000 && r->sport == 500 &&
	      addr_is(&r->src, "2001:db8::1"));
	if (r)
		FRAMES_ARE(r->frames, r->nframes, 1, 2);
	r = rec_of(&lg, 3);
	CHECK(r && r->kind == CAP_FRAGMENT && r->frag_sport == 500 && r->frag_dport == 500 &&
	      r->proto == 60);
	r = rec_of(&lg, 4);
	CHECK(r && r->kind == CAP_IKE && r->reassembled && r->len == 600 && r->proto == 17);
	if (r)
		FRAMES_ARE(r->frames, r->nframes, 3, 4);
	r = rec_of(&lg, 5);
	CHECK(r && r->kind == CAP_IKE && !r->reassembled && r->len == IKE_LEN && r->ip_id == 99);
	r = rec_of(&lg, 7);
	CHECK(r && r->kind == CAP_IKE && r->reassembled && r->len == 1000);
	CHECK(has_anomaly(&lg, 7, "reassembly", "RFC 5722"));
	CHECK_EQ(lg.st.reasm_done, 3);
}

static void
test_frag_never(void)
{
	make_dgram(4500, 4500, true, 1188);
	struct pkt p;
	FILE *f = pcap_new("frag_never.pcap", 1, 65535);
	frag4(&p, 17, 0x300, 0, 480, true, dgram);
	pcap_pkt(f, &p);
	frag4(&p, 17, 0x300, 960, 240, false, dgram);
	pcap_pkt(f, &p);
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	body_ike4(&p, 500, 500);
	pcap_pkt(f, &p);
	fclose(f);
	struct log lg;
	CHECK_EQ(run_tmp("frag_never.pcap", NULL, &lg), 0);
	/* given up when the input ends, before input_end */
	CHECK_STR(lg.events, "F1 F2 F3 X1,2 E");
	CHECK_EQ(lg.nx, 1);
	CHECK_EQ(lg.x[0].file, 0);
	CHECK_EQ(lg.st.reasm_dropped, 1);
	CHECK_EQ(lg.st.reasm_done, 0);
}

static void
test_frag_limits(void)
{
	make_dgram(4500, 4500, true, 1188);
	struct pkt p;
	struct log lg;

	/* the datagram cap: the oldest goes first */
	FILE *f = pcap_new("frag_cap.pcap", 1, 65535);
	for (unsigned id = 1; id <= 3; id++) {
		frag4(&p, 17, id, 0, 480, true, dgram);
		pcap_pkt(f, &p);
	}
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	body_ike4(&p, 500, 500);
	pcap_pkt(f, &p);
	fclose(f);
	struct cap_limits lim = {0, 2, 0};
	CHECK_EQ(run_tmp("frag_cap.pcap", &lim, &lg), 0);
	CHECK_STR(lg.events, "F1 F2 A3 X1 F3 F4 X2 X3 E");
	CHECK(has_anomaly(&lg, 3, "reassembly", "too many datagrams"));
	CHECK_EQ(lg.st.reasm_dropped, 3);

	/* the memory cap: two datagrams fit, the third pushes out the first */
	lim = (struct cap_limits){8000, 0, 0};
	CHECK_EQ(run_tmp("frag_cap.pcap", &lim, &lg), 0);
	CHECK_STR(lg.events, "F1 F2 A3 X1 F3 F4 X2 X3 E");
	CHECK(has_anomaly(&lg, 3, "reassembly", "memory cap"));

	/* a datagram that does not fit even alone */
	lim = (struct cap_limits){3000, 0, 0};
	CHECK_EQ(run_tmp("frag_cap.pcap", &lim, &lg), 0);
	CHECK(has_anomaly(&lg, 1, "reassembly", "memory cap"));
	CHECK(strncmp(lg.events, "A1 F1 X1 ", 9) == 0);
	CHECK(rec_of(&lg, 1) && rec_of(&lg, 1)->kind == CAP_FRAGMENT);

	/* the timeout, in capture time */
	f = pcap_new("frag_time.pcap", 1, 65535);
	frag4(&p, 17, 9, 0, 480, true, dgram);
	pcap_rec(f, 100, 0, p.b, p.n, p.n);
	frag4(&p, 17, 10, 0, 480, true, dgram);
	pcap_rec(f, 120, 0, p.b, p.n, p.n);
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	body_ike4(&p, 500, 500);
	pcap_rec(f, 131, 0, p.b, p.n, p.n);
	pcap_rec(f, 90, 0, p.b, p.n, p.n); /* time going backwards expires nothing */
	pcap_rec(f, 151, 0, p.b, p.n, p.n);
	fclose(f);
	CHECK_EQ(run_tmp("frag_time.pcap", NULL, &lg), 0);
	CHECK_STR(lg.events, "F1 F2 X1 F3 F4 X2 F5 E");

	/* longer than 65535 bytes: dropped, the fragment closed at once */
	f = pcap_new("frag_big.pcap", 1, 65535);
	static uint8_t big[70000];
	frag4(&p, 17, 11, 0, 480, true, dgram);
	pcap_pkt(f, &p);
	frag4(&p, 17, 11, 65000, 600, false, big);
	pcap_pkt(f, &p);
	fclose(f);
	CHECK_EQ(run_tmp("frag_big.pcap", NULL, &lg), 0);
	CHECK(has_anomaly(&lg, 2, "reassembly", "longer than 65535"));
	CHECK_STR(lg.events, "F1 X1 A2 F2 X2 E");

	/* fragments that disagree on the end; later ones of the datagram are lost */
	f = pcap_new("frag_ends.pcap", 1, 65535);
	frag4(&p, 17, 12, 0, 240, true, dgram);
	pcap_pkt(f, &p);
	frag4(&p, 17, 12, 480, 480, false, dgram);
	pcap_pkt(f, &p);
	frag4(&p, 17, 12, 960, 240, false, dgram);
	pcap_pkt(f, &p);
	frag4(&p, 17, 12, 240, 240, true, dgram);
	pcap_pkt(f, &p);
	fclose(f);
	CHECK_EQ(run_tmp("frag_ends.pcap", NULL, &lg), 0);
	CHECK(has_anomaly(&lg, 3, "reassembly", "disagree on where the datagram ends"));
	CHECK_STR(lg.events, "F1 F2 X1,2 A3 F3 X3 F4 X4 E");

	/* a non-last fragment whose length is not a multiple of 8 */
	f = pcap_new("frag_odd.pcap", 1, 65535);
	frag4(&p, 17, 13, 0, 100, true, dgram);
	pcap_pkt(f, &p);
	fclose(f);
	CHECK_EQ(run_tmp("frag_odd.pcap", NULL, &lg), 0);
	CHECK(has_anomaly(&lg, 1, "reassembly", "not a multiple of 8"));
	CHECK_STR(lg.events, "A1 F1 X1 E");
	CHECK(rec_of(&lg, 1) && rec_of(&lg, 1)->frag_sport == 4500);
}

static void
test_frag_not_ours(void)
{
	struct pkt p;
	FILE *f = pcap_new("frag_other.pcap", 1, 65535);
	make_dgram(53, 1053, false, 592); /* 600 bytes of DNS */
	/* 1, 2: in order - skipped without a trace */
	frag4(&p, 17, 1, 0, 480, true, dgram);
	pcap_pkt(f, &p);
	frag4(&p, 17, 1, 480, 120, false, dgram);
	pcap_pkt(f, &p);
	/* 3, 4: the later fragment first - handed over, then closed */
	frag4(&p, 17, 2, 480, 120, false, dgram);
	pcap_pkt(f, &p);
	frag4(&p, 17, 2, 0, 480, true, dgram);
	pcap_pkt(f, &p);
	/* 5, 6: TCP fragments */
	frag4(&p, 6, 3, 0, 480, true, dgram);
	pcap_pkt(f, &p);
	frag4(&p, 6, 3, 480, 120, false, dgram);
	pcap_pkt(f, &p);
	/* 7, 8: ESP fragments are ours */
	frag4(&p, 50, 4, 0, 480, true, dgram);
	pcap_pkt(f, &p);
	frag4(&p, 50, 4, 480, 120, false, dgram);
	pcap_pkt(f, &p);
	fclose(f);
	struct log lg;
	CHECK_EQ(run_tmp("frag_other.pcap", NULL, &lg), 0);
	CHECK_STR(lg.events, "F3 X3 F7 F8 E");
	const struct rec *r = rec_of(&lg, 8);
	CHECK(r && r->kind == CAP_ESP && r->reassembled && r->len == 600);
	CHECK_EQ(lg.st.skipped, 5);
	CHECK_EQ(lg.st.reasm_dropped, 0);
	check_stats_sum(&lg);
}

static void
test_frag_truncated(void)
{
	/* tshark's rule: a fragment cut by the snap length is not reassembled.
	 * The first one is taken on its own and still shows the IKE header. */
	make_dgram(4500, 4500, true, 1188);
	struct pkt p;
	FILE *f = pcap_new("frag_cut.pcap", 1, 134);
	/* 1-3: every fragment cut */
	frag4(&p, 17, 0x401, 0, 480, true, dgram);
	pcap_rec(f, 1, 0, p.b, 134, p.n);
	frag4(&p, 17, 0x401, 480, 480, true, dgram);
	pcap_rec(f, 2, 0, p.b, 134, p.n);
	frag4(&p, 17, 0x401, 960, 240, false, dgram);
	pcap_rec(f, 3, 0, p.b, 134, p.n);
	/* 4-6: the first whole, the second cut, the third whole */
	make_dgram(4500, 4500, true, 100); /* 112 bytes: 48 + 48 + 16 */
	frag4(&p, 17, 0x402, 0, 48, true, dgram);
	pcap_rec(f, 4, 0, p.b, p.n, p.n);
	frag4(&p, 17, 0x402, 48, 48, true, dgram);
	pcap_rec(f, 5, 0, p.b, p.n - 10, p.n);
	frag4(&p, 17, 0x402, 96, 16, false, dgram);
	pcap_rec(f, 6, 0, p.b, p.n, p.n);
	/* 7: IPv6, a first fragment cut after a destination options header */
	uint8_t part[2048];
	part[0] = 17;
	memset(part + 1, 0, 7);
	make_dgram(500, 500, false, 1200);
	memcpy(part + 8, dgram, dgram_len);
	frag6(&p, 60, 0x77, 0, 504, true, part);
	pcap_rec(f, 7, 0, p.b, 134, p.n);
	fclose(f);

	struct log lg;
	CHECK_EQ(run_tmp("frag_cut.pcap", NULL, &lg), 0);
	/* 100 bytes of fragment data: UDP header, marker, 88 bytes of IKE; the
	 * UDP length says 1188 */
	const struct rec *r = rec_of(&lg, 1);
	CHECK(r && r->kind == CAP_IKE && !r->reassembled && r->truncated && r->marker &&
	      r->len == 88 && r->wire_len == 1188 && r->frag_more && r->frag_offset == 0 &&
	      r->sport == 4500 && memcmp(r->head, ISPI, 8) == 0);
	r = rec_of(&lg, 2);
	CHECK(r && r->kind == CAP_FRAGMENT && r->truncated && r->len == 100 && r->wire_len == 480);
	r = rec_of(&lg, 3);
	CHECK(r && r->kind == CAP_FRAGMENT && r->frag_offset == 960);
	r = rec_of(&lg, 5);
	CHECK(r && r->kind == CAP_FRAGMENT && r->truncated && r->len == 38);
	r = rec_of(&lg, 7);
	CHECK(r && r->kind == CAP_IKE && r->truncated && r->len == 134 - 14 - 48 - 8 - 8 &&
	      r->wire_len == 1200 && memcmp(r->head, ISPI, 8) == 0);
	CHECK_STR(lg.events, "F1 F2 X2 F3 X3 F4 X4 F5 X5 F6 X6 F7 E");
	CHECK_EQ(lg.na, 0);
	CHECK_EQ(lg.st.reasm_done, 0);
	check_stats_sum(&lg);
}

/* ------------------------------------------------------------------ */
/* ICMP errors about IKE                                               */

static void
icmp_hdr(struct pkt *p, unsigned type, unsigned code)
{
	p_u8(p, type);
	p_u8(p, code);
	p_be16(p, 0);
	p_be32(p, 0);
}

static void
test_icmp(void)
{
	FILE *f = pcap_new("icmp.pcap", 1, 65535);
	struct pkt p, q;
	/* 1: port unreachable quoting IKE on 500 (IP header + UDP + 28 bytes) */
	q.n = 0;
	ip4(&q, 17, 0x77, 0, 8 + IKE_LEN, 0);
	udp(&q, 500, 500, IKE_LEN);
	p_ike(&q, 28);
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	ip4(&p, 1, 1, 0, 8 + q.n, 0);
	icmp_hdr(&p, 3, 3);
	p_bytes(&p, q.b, q.n);
	pcap_pkt(f, &p);
	/* 2: the RFC 792 minimum: IP header + 8 bytes */
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	ip4(&p, 1, 1, 0, 8 + 28, 0);
	icmp_hdr(&p, 3, 3);
	p_bytes(&p, q.b, 28);
	pcap_pkt(f, &p);
	/* 3: fragment reassembly time exceeded, quoting the first fragment */
	make_dgram(4500, 4500, true, 1188);
	q.n = 0;
	ip4(&q, 17, 0x78, 0x2000, 480, 0);
	p_bytes(&q, dgram, 64);
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	ip4(&p, 1, 1, 0, 8 + q.n, 0);
	icmp_hdr(&p, 11, 1);
	p_bytes(&p, q.b, q.n);
	pcap_pkt(f, &p);
	/* 4: quoting a later fragment: no UDP header to tell */
	q.n = 0;
	ip4(&q, 17, 0x78, 0x2000 | 60, 480, 0);
	p_bytes(&q, dgram + 480, 64);
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	ip4(&p, 1, 1, 0, 8 + q.n, 0);
	icmp_hdr(&p, 3, 4);
	p_bytes(&p, q.b, q.n);
	pcap_pkt(f, &p);
	/* 5: echo request */
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	ip4(&p, 1, 1, 0, 8 + 32, 0);
	icmp_hdr(&p, 8, 0);
	p_zero(&p, 32);
	pcap_pkt(f, &p);
	/* 6: port unreachable about DNS */
	q.n = 0;
	ip4(&q, 17, 0x79, 0, 8 + 20, 0);
	udp(&q, 1053, 53, 20);
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	ip4(&p, 1, 1, 0, 8 + q.n, 0);
	icmp_hdr(&p, 3, 3);
	p_bytes(&p, q.b, q.n);
	pcap_pkt(f, &p);
	/* 7: ICMPv6 port unreachable quoting IKE on 4500 */
	q.n = 0;
	ip6(&q, 17, 8 + 4 + IKE_LEN);
	udp(&q, 4500, 4500, 4 + IKE_LEN);
	p_be32(&q, 0);
	p_ike(&q, IKE_LEN);
	p.n = 0;
	eth(&p, 0x86dd, NULL, 0);
	ip6(&p, 58, 8 + q.n);
	icmp_hdr(&p, 1, 4);
	p_bytes(&p, q.b, q.n);
	pcap_pkt(f, &p);
	/* 8: ICMPv6 packet too big quoting a first fragment of IKE */
	make_dgram(500, 500, false, 1600);
	q.n = 0;
	ip6(&q, 44, 8 + 1232);
	p_u8(&q, 17), p_u8(&q, 0), p_be16(&q, 1), p_be32(&q, 5);
	p_bytes(&q, dgram, 64);
	p.n = 0;
	eth(&p, 0x86dd, NULL, 0);
	ip6(&p, 58, 8 + q.n);
	icmp_hdr(&p, 2, 0);
	p_bytes(&p, q.b, q.n);
	pcap_pkt(f, &p);
	/* 9: ICMPv6 echo request */
	p.n = 0;
	eth(&p, 0x86dd, NULL, 0);
	ip6(&p, 58, 8 + 16);
	icmp_hdr(&p, 128, 0);
	p_zero(&p, 16);
	pcap_pkt(f, &p);
	fclose(f);

	struct log lg;
	CHECK_EQ(run_tmp("icmp.pcap", NULL, &lg), 0);
	const struct rec *r = rec_of(&lg, 1);
	CHECK(r && r->kind == CAP_ICMP && r->icmp_type == 3 && r->icmp_code == 3 && r->proto == 1 &&
	      r->icmp_sport == 500 && r->icmp_dport == 500 && r->quote_len == 28 &&
	      memcmp(r->quote, ISPI, 8) == 0 && addr_is(&r->icmp_src, "192.0.2.1") &&
	      addr_is(&r->icmp_dst, "198.51.100.2") && r->len == 8 + 56 && r->head[0] == 3);
	r = rec_of(&lg, 2);
	CHECK(r && r->kind == CAP_ICMP && r->icmp_sport == 500 && r->quote_len == 0);
	r = rec_of(&lg, 3);
	CHECK(r && r->kind == CAP_ICMP && r->icmp_type == 11 && r->icmp_code == 1 &&
	      r->icmp_sport == 4500 && r->quote_len == 56);
	CHECK(rec_of(&lg, 4) == NULL);
	CHECK(rec_of(&lg, 5) == NULL);
	CHECK(rec_of(&lg, 6) == NULL);
	r = rec_of(&lg, 7);
	CHECK(r && r->kind == CAP_ICMP && r->proto == 58 && r->icmp_type == 1 &&
	      r->icmp_code == 4 && r->icmp_dport == 4500 && r->quote_len == 4 + IKE_LEN &&
	      addr_is(&r->icmp_src, "2001:db8::1") && addr_is(&r->icmp_dst, "2001:db8::2"));
	r = rec_of(&lg, 8);
	CHECK(r && r->kind == CAP_ICMP && r->icmp_type == 2 && r->icmp_sport == 500 &&
	      r->quote_len == 56 && memcmp(r->quote, ISPI, 8) == 0);
	CHECK(rec_of(&lg, 9) == NULL);
	CHECK_EQ(lg.n, 5);
	check_stats_sum(&lg);
}

/* ------------------------------------------------------------------ */
/* Inputs: several files, stdin, gzip, broken files, pcapng            */

static void
write_simple(const char *name, int nframes)
{
	FILE *f = pcap_new(name, 1, 65535);
	struct pkt p;
	for (int i = 0; i < nframes; i++) {
		p.n = 0;
		eth(&p, 0x0800, NULL, 0);
		body_ike4(&p, 500, 500);
		pcap_pkt(f, &p);
	}
	fclose(f);
}

static void
test_files(void)
{
	write_simple("one.pcap", 2);
	write_simple("two.pcap", 3);
	char p1[512], p2[512], err[512];
	tpath(p1, sizeof p1, "one.pcap");
	tpath(p2, sizeof p2, "two.pcap");
	struct log lg;
	memset(&lg, 0, sizeof lg);
	struct cap *a = cap_open_file(p1, 0, NULL, err, sizeof err);
	struct cap *b = cap_open_file(p2, 1, NULL, err, sizeof err);
	CHECK(a != NULL && b != NULL);
	if (a == NULL || b == NULL)
		return;
	CHECK_EQ(cap_loop(a, handler(&lg), 0, err, sizeof err), 0);
	CHECK_EQ(lg.end_file, 0);
	CHECK_EQ(cap_loop(b, handler(&lg), 0, err, sizeof err), 0);
	CHECK_EQ(lg.end_file, 1);
	CHECK_EQ(lg.n, 5);
	CHECK(lg.r[1].file == 0 && lg.r[1].num == 2);
	CHECK(lg.r[2].file == 1 && lg.r[2].num == 1);
	CHECK(lg.r[4].file == 1 && lg.r[4].num == 3);
	CHECK_STR(lg.events, "F1 F2 EF1 F2 F3 E");
	CHECK_EQ(lg.ends, 2);
	CHECK_EQ(cap_linktype(a), 1);
	CHECK_STR(cap_linktype_name(a), "EN10MB");
	CHECK_EQ(cap_fd(a), -1);
	/* the loop after the end does nothing */
	CHECK_EQ(cap_loop(a, handler(&lg), 0, err, sizeof err), 0);
	CHECK_EQ(lg.ends, 2);
	cap_close(a);
	cap_close(b);
}

static uint32_t
crc32(const uint8_t *d, size_t n)
{
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		c ^= d[i];
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xedb88320u : c >> 1;
	}
	return ~c;
}

/* gzip (RFC 1952) with stored deflate blocks (RFC 1951 3.2.4). */
static size_t
gzip_stored(const uint8_t *d, size_t n, uint8_t *out)
{
	struct pkt p = {.n = 0};
	static const uint8_t hdr[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
	p_bytes(&p, hdr, sizeof hdr);
	size_t off = 0;
	do {
		size_t k = n - off > 65535 ? 65535 : n - off;
		p_u8(&p, off + k == n ? 1 : 0);
		p_u8(&p, k), p_u8(&p, k >> 8);
		p_u8(&p, ~k), p_u8(&p, (~k) >> 8);
		p_bytes(&p, d + off, k);
		off += k;
	} while (off < n);
	p_le32(&p, crc32(d, n));
	p_le32(&p, (uint32_t)n);
	memcpy(out, p.b, p.n);
	return p.n;
}

static size_t
slurp(const char *name, uint8_t *buf, size_t max)
{
	char path[512];
	tpath(path, sizeof path, name);
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return 0;
	size_t n = fread(buf, 1, max, f);
	fclose(f);
	return n;
}

static void
spit(const char *name, const uint8_t *buf, size_t n)
{
	char path[512];
	tpath(path, sizeof path, name);
	FILE *f = fopen(path, "wb");
	if (f == NULL)
		return;
	fwrite(buf, 1, n, f);
	fclose(f);
}

static void
test_gzip_and_stdin(void)
{
	static uint8_t raw[65536], gz[70000];
	write_simple("g.pcap", 3);
	size_t n = slurp("g.pcap", raw, sizeof raw);
	size_t gn = gzip_stored(raw, n, gz);
	spit("g.pcapng.gz", gz, gn);
	char path[512], err[512];
	struct log lg;

	CHECK_EQ(run_tmp("g.pcapng.gz", NULL, &lg), 0);
	CHECK_EQ(lg.n, 3);
	check_ike(&lg, 3, 4, 0);
	CHECK_EQ(lg.ends, 1);

	/* a CRC error: the frames come, then gzip's complaint */
	gz[gn - 8] ^= 0xff;
	spit("crc.pcap.gz", gz, gn);
	gz[gn - 8] ^= 0xff;
	tpath(path, sizeof path, "crc.pcap.gz");
	CHECK_EQ(run(path, 0, NULL, &lg, err, sizeof err), -1);
	CHECK(strstr(err, "crc.pcap.gz: decompression failed: ") != NULL);
	CHECK(strstr(err, "crc") != NULL);
	CHECK_EQ(lg.n, 3);
	CHECK_EQ(lg.ends, 1);

	/* cut short in the middle of a record */
	spit("cut.pcap.gz", gz, gn - 50);
	tpath(path, sizeof path, "cut.pcap.gz");
	CHECK_EQ(run(path, 0, NULL, &lg, err, sizeof err), -1);
	CHECK(strstr(err, "cut.pcap.gz: decompression failed: ") != NULL);
	CHECK_EQ(lg.ends, 1);

	/* gzip of something that is no capture */
	static const uint8_t text[] = "this is not a capture file, just some words\n";
	gn = gzip_stored(text, sizeof text - 1, gz);
	spit("text.gz", gz, gn);
	tpath(path, sizeof path, "text.gz");
	CHECK(cap_open_file(path, 0, NULL, err, sizeof err) == NULL);
	CHECK(strstr(err, "text.gz: after decompression: ") != NULL);

	/* a gzip magic with nothing valid behind it */
	static const uint8_t bad[] = {0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad};
	spit("bad.gz", bad, sizeof bad);
	tpath(path, sizeof path, "bad.gz");
	CHECK(cap_open_file(path, 0, NULL, err, sizeof err) == NULL);
	CHECK(strstr(err, "bad.gz: decompression failed: ") != NULL);

	/* stdin through a pipe, gzip-compressed: the peeked byte must reach gzip */
	gn = gzip_stored(raw, n, gz);
	int fds[2];
	CHECK_EQ(pipe(fds), 0);
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		for (size_t off = 0; off < gn;) {
			ssize_t w = write(fds[1], gz + off, gn - off);
			if (w <= 0)
				_exit(1);
			off += (size_t)w;
		}
		_exit(0);
	}
	close(fds[1]);
	dup2(fds[0], 0);
	close(fds[0]);
	clearerr(stdin);
	CHECK_EQ(run("-", 0, NULL, &lg, err, sizeof err), 0);
	CHECK_EQ(lg.n, 3);
	int status;
	waitpid(pid, &status, 0);

	/* stdin from a plain file */
	tpath(path, sizeof path, "g.pcap");
	CHECK(freopen(path, "rb", stdin) != NULL);
	CHECK_EQ(run("-", 0, NULL, &lg, err, sizeof err), 0);
	CHECK_EQ(lg.n, 3);
	/* an empty stdin */
	spit("empty", raw, 0);
	tpath(path, sizeof path, "empty");
	CHECK(freopen(path, "rb", stdin) != NULL);
	CHECK(cap_open_file("-", 0, NULL, err, sizeof err) == NULL);
	CHECK_STR(err, "stdin: empty file, not a capture");
}

static void
test_bad_files(void)
{
	char path[512], err[512], want[700];
	struct log lg;
	tpath(path, sizeof path, "missing.pcap");
	CHECK_EQ(run(path, 0, NULL, &lg, err, sizeof err), -100);
	snprintf(want, sizeof want, "%s: cannot open: No such file or directory", path);
	CHECK_STR(err, want);

	static const uint8_t junk[] = "GET / HTTP/1.0\r\n\r\n";
	spit("junk.pcap", junk, sizeof junk - 1);
	tpath(path, sizeof path, "junk.pcap");
	CHECK_EQ(run(path, 0, NULL, &lg, err, sizeof err), -100);
	CHECK(strncmp(err, path, strlen(path)) == 0 && strstr(err, "format") != NULL);

	/* a record cut short: the frames before it, then an error naming where */
	static uint8_t raw[65536];
	write_simple("short.pcap", 2);
	size_t n = slurp("short.pcap", raw, sizeof raw);
	spit("short.pcap", raw, n - 10);
	tpath(path, sizeof path, "short.pcap");
	CHECK_EQ(run(path, 0, NULL, &lg, err, sizeof err), -1);
	CHECK_EQ(lg.n, 1);
	CHECK_EQ(lg.ends, 1);
	snprintf(want, sizeof want, "%s: after frame 1: ", path);
	CHECK(strncmp(err, want, strlen(want)) == 0);

	/* nanosecond pcap: times come in microseconds */
	FILE *f = fopen(path, "wb");
	struct pkt p = {.n = 0};
	p_le32(&p, 0xa1b23c4du);
	p_u8(&p, 2), p_u8(&p, 0), p_u8(&p, 4), p_u8(&p, 0);
	p_le32(&p, 0), p_le32(&p, 0), p_le32(&p, 65535), p_le32(&p, 1);
	fwrite(p.b, 1, p.n, f);
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	body_ike4(&p, 500, 500);
	pcap_rec(f, 7, 123456789, p.b, p.n, p.n);
	fclose(f);
	CHECK_EQ(run(path, 0, NULL, &lg, err, sizeof err), 0);
	CHECK(lg.n == 1 && lg.r[0].ts_sec == 7 && lg.r[0].ts_usec == 123456);
}

/* pcapng blocks (draft-ietf-opsawg-pcapng) */
static void
ng_block(FILE *f, uint32_t type, const struct pkt *body)
{
	struct pkt b = {.n = 0};
	size_t pad = (4 - body->n % 4) % 4;
	uint32_t total = (uint32_t)(12 + body->n + pad);
	p_le32(&b, type);
	p_le32(&b, total);
	p_bytes(&b, body->b, body->n);
	p_zero(&b, pad);
	p_le32(&b, total);
	fwrite(b.b, 1, b.n, f);
}

static void
ng_shb(FILE *f)
{
	struct pkt b = {.n = 0};
	p_le32(&b, 0x1a2b3c4du);
	p_u8(&b, 1), p_u8(&b, 0), p_u8(&b, 0), p_u8(&b, 0);
	p_le32(&b, 0xffffffffu), p_le32(&b, 0xffffffffu);
	ng_block(f, 0x0a0d0d0au, &b);
}

static void
ng_idb(FILE *f, unsigned linktype)
{
	struct pkt b = {.n = 0};
	p_u8(&b, linktype), p_u8(&b, linktype >> 8), p_u8(&b, 0), p_u8(&b, 0);
	p_le32(&b, 65535);
	ng_block(f, 1, &b);
}

static void
ng_epb(FILE *f, unsigned ifid, const struct pkt *p)
{
	struct pkt b = {.n = 0};
	p_le32(&b, ifid);
	p_le32(&b, 0), p_le32(&b, 1000000);
	p_le32(&b, (uint32_t)p->n), p_le32(&b, (uint32_t)p->n);
	p_bytes(&b, p->b, p->n);
	ng_block(f, 6, &b);
}

static void
test_pcapng(void)
{
	char path[512], err[512];
	struct pkt p;
	tpath(path, sizeof path, "one.pcapng");
	FILE *f = fopen(path, "wb");
	ng_shb(f);
	ng_idb(f, 1);
	p.n = 0;
	eth(&p, 0x0800, NULL, 0);
	body_ike4(&p, 500, 500);
	ng_epb(f, 0, &p);
	ng_epb(f, 0, &p);
	fclose(f);
	struct log lg;
	CHECK_EQ(run(path, 0, NULL, &lg, err, sizeof err), 0);
	CHECK_EQ(lg.n, 2);
	check_ike(&lg, 2, 4, 0);
	CHECK_EQ(lg.r[0].ts_sec, 1);

	/* interfaces of different link types: libpcap refuses at the second
	 * interface; what came before is delivered and the input ends */
	tpath(path, sizeof path, "mixed.pcapng");
	f = fopen(path, "wb");
	ng_shb(f);
	ng_idb(f, 1);
	ng_epb(f, 0, &p);
	ng_idb(f, 101);
	struct pkt r = {.n = 0};
	body_ike4(&r, 500, 500);
	ng_epb(f, 1, &r);
	fclose(f);
	CHECK_EQ(run(path, 0, NULL, &lg, err, sizeof err), -1);
	CHECK_EQ(lg.n, 1);
	CHECK_EQ(lg.ends, 1);
	CHECK(strstr(err, "after frame 1") != NULL);
	CHECK(strstr(err, "different from the type of the first interface") != NULL);
}

/* ------------------------------------------------------------------ */
/* Dumping, loop controls, live filter, feeding frames                 */

static void
test_dump(void)
{
	char in[512], out[512], err[512];
	tpath(in, sizeof in, "udp.pcap");
	tpath(out, sizeof out, "dumped.pcap");
	struct log lg;
	memset(&lg, 0, sizeof lg);
	struct cap *c = cap_open_file(in, 0, NULL, err, sizeof err);
	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK_EQ(cap_dump_open(c, out, err, sizeof err), 0);
	lg.cap = c;
	lg.dump = true;
	cap_dump_current(c); /* outside a callback: nothing */
	CHECK_EQ(cap_loop(c, handler(&lg), 0, err, sizeof err), 0);
	unsigned matched = lg.n;
	cap_close(c);
	/* what was written reads back as the same frames */
	struct log back;
	CHECK_EQ(run(out, 0, NULL, &back, err, sizeof err), 0);
	CHECK_EQ(back.n, matched);
	CHECK_EQ(back.st.frames, matched);
	for (unsigned i = 0; i < back.n && i < matched; i++) {
		CHECK_EQ(back.r[i].kind, lg.r[i].kind);
		CHECK(back.r[i].hash == lg.r[i].hash);
	}

	tpath(out, sizeof out, "no/such/dir/x.pcap");
	c = cap_open_file(in, 0, NULL, err, sizeof err);
	CHECK_EQ(cap_dump_open(c, out, err, sizeof err), -1);
	CHECK(strncmp(err, out, strlen(out)) == 0);
	cap_close(c);
}

static void
test_controls(void)
{
	char path[512], err[512];
	tpath(path, sizeof path, "udp.pcap"); /* 11 frames, 9 of them ours */
	struct log lg;

	/* max_frames ends the input */
	memset(&lg, 0, sizeof lg);
	struct cap *c = cap_open_file(path, 0, NULL, err, sizeof err);
	CHECK_EQ(cap_loop(c, handler(&lg), 2, err, sizeof err), 0);
	cap_stats(c, &lg.st);
	CHECK_EQ(lg.st.frames, 2);
	CHECK_STR(lg.events, "F1 F2 E");
	cap_close(c);

	/* cap_break from the callback; the next loop goes on */
	memset(&lg, 0, sizeof lg);
	c = cap_open_file(path, 0, NULL, err, sizeof err);
	lg.cap = c;
	lg.break_at = 3;
	CHECK_EQ(cap_loop(c, handler(&lg), 0, err, sizeof err), 1);
	CHECK_STR(lg.events, "F1 F2 F3 ");
	lg.break_at = 0;
	CHECK_EQ(cap_loop(c, handler(&lg), 0, err, sizeof err), 0);
	CHECK_EQ(lg.n, 9);
	CHECK_EQ(lg.ends, 1);
	cap_close(c);

	/* cap_dispatch on a file: batches, then 0 once it has ended */
	memset(&lg, 0, sizeof lg);
	c = cap_open_file(path, 0, NULL, err, sizeof err);
	int total = 0, r, calls = 0;
	while ((r = cap_dispatch(c, handler(&lg), err, sizeof err)) > 0 && calls++ < 100)
		total += r;
	CHECK_EQ(r, 0);
	CHECK_EQ(total, 11);
	CHECK_EQ(lg.ends, 1);
	CHECK_EQ(cap_dispatch(c, handler(&lg), err, sizeof err), 0);
	CHECK_EQ(lg.ends, 1);
	cap_close(c);
}

/* The default live filter compiles on each link type and passes what
 * reassembly needs: later IPv4 fragments, IPv6 fragments, tagged frames. */
static void
test_filter(void)
{
	static const int dlts[] = {1, 113, 276, 12, 0};
	for (size_t i = 0; i < sizeof dlts / sizeof dlts[0]; i++) {
		pcap_t *d = pcap_open_dead(dlts[i], 65535);
		struct bpf_program prog;
		char expr[2048];
		cap_filter_expr(dlts[i], "host 192.0.2.1 or host 2001:db8::1", expr, sizeof expr);
		int rc = pcap_compile(d, &prog, expr, 1, PCAP_NETMASK_UNKNOWN);
		if (rc != 0)
			fprintf(stderr, "%s: %s\n", expr, pcap_geterr(d));
		CHECK_EQ(rc, 0);
		if (rc == 0 && dlts[i] == 1) {
			struct pkt p;
			struct pcap_pkthdr h;
			memset(&h, 0, sizeof h);
			make_dgram(4500, 4500, true, 1188);
			frag4(&p, 17, 1, 480, 480, true, dgram);
			h.caplen = h.len = (uint32_t)p.n;
			CHECK(pcap_offline_filter(&prog, &h, p.b) != 0);
			frag6(&p, 17, 1, 0, 480, true, dgram);
			h.caplen = h.len = (uint32_t)p.n;
			CHECK(pcap_offline_filter(&prog, &h, p.b) != 0);
			unsigned q[] = {0x8100, 10};
			p.n = 0;
			eth(&p, 0x0800, q, 1);
			body_ike4(&p, 500, 500);
			h.caplen = h.len = (uint32_t)p.n;
			CHECK(pcap_offline_filter(&prog, &h, p.b) != 0);
			p.n = 0;
			eth(&p, 0x0800, NULL, 0);
			ip4(&p, 6, 1, 0, 20, 0);
			p_zero(&p, 20);
			h.caplen = h.len = (uint32_t)p.n;
			CHECK(pcap_offline_filter(&prog, &h, p.b) == 0);
			/* a tagged later fragment */
			frag4(&p, 17, 1, 480, 480, true, dgram);
			memmove(p.b + 16, p.b + 12, p.n - 12);
			p.b[12] = 0x81, p.b[13] = 0, p.b[14] = 0, p.b[15] = 10;
			p.n += 4;
			h.caplen = h.len = (uint32_t)p.n;
			CHECK(pcap_offline_filter(&prog, &h, p.b) != 0);
			/* another host */
			p.n = 0;
			eth(&p, 0x0800, NULL, 0);
			ip4(&p, 17, 1, 0, 8 + IKE_LEN, 0);
			p.b[14 + 12] = 10;
			udp(&p, 500, 500, IKE_LEN);
			p_ike(&p, IKE_LEN);
			h.caplen = h.len = (uint32_t)p.n;
			CHECK(pcap_offline_filter(&prog, &h, p.b) == 0);
		}
		if (rc == 0)
			pcap_freecode(&prog);
		pcap_close(d);
	}

	char err[512];
	CHECK(cap_open_live("ikelens-no-such-if0", NULL, 0, NULL, err, sizeof err) == NULL);
	CHECK(strncmp(err, "ikelens-no-such-if0: ", 21) == 0);
}

/* A live capture on the loopback interface, when this process may capture:
 * datagrams sent to 127.0.0.1:500 and :4500 come back through cap_fd and
 * cap_dispatch; one to another port is filtered out. */
static void
test_live(void)
{
	char err[512];
	struct cap *c = cap_open_live("lo", "host 127.0.0.1", 0, NULL, err, sizeof err);
	if (c == NULL) {
		printf("test_capture: no live capture here (%s); skipping it\n", err);
		return;
	}
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(0x7f000001);
	struct sockaddr_in me = sa; /* bound, so our frames can be told from others' */
	bind(s, (struct sockaddr *)&me, sizeof me);
	socklen_t ml = sizeof me;
	getsockname(s, (struct sockaddr *)&me, &ml);
	uint16_t port = ntohs(me.sin_port);
	uint8_t ike[IKE_LEN], ka = 0xff;
	ike_msg(ike, sizeof ike);
	sa.sin_port = htons(9);
	sendto(s, ike, sizeof ike, 0, (struct sockaddr *)&sa, sizeof sa);
	sa.sin_port = htons(500);
	sendto(s, ike, sizeof ike, 0, (struct sockaddr *)&sa, sizeof sa);
	sa.sin_port = htons(4500);
	sendto(s, &ka, 1, 0, (struct sockaddr *)&sa, sizeof sa);

	struct log lg;
	memset(&lg, 0, sizeof lg);
	CHECK(cap_fd(c) >= 0);
	bool ike_seen = false, ka_seen = false;
	for (int i = 0; i < 40 && !(ike_seen && ka_seen); i++) {
		struct pollfd pfd = {cap_fd(c), POLLIN, 0};
		poll(&pfd, 1, 50);
		CHECK(cap_dispatch(c, handler(&lg), err, sizeof err) >= 0);
		for (unsigned k = 0; k < lg.n; k++) {
			const struct rec *r = &lg.r[k];
			if (r->sport != port)
				continue;
			CHECK(r->dport == 500 || r->dport == 4500);
			if (r->kind == CAP_IKE && r->dport == 500 && r->len == IKE_LEN &&
			    memcmp(r->head, ISPI, 8) == 0)
				ike_seen = true;
			if (r->kind == CAP_NATT_KEEPALIVE && r->dport == 4500)
				ka_seen = true;
		}
	}
	CHECK(ike_seen);
	CHECK(ka_seen);
	cap_stats(c, &lg.st);
	CHECK(lg.st.frames >= 2);
	close(s);
	cap_close(c);
}

static void
test_feed(void)
{
	/* frames fed one by one behave as read from a file */
	char err[512];
	struct log lg;
	memset(&lg, 0, sizeof lg);
	struct cap *c = cap_open_null(1, 4, NULL, err, sizeof err);
	CHECK(c != NULL);
	if (c == NULL)
		return;
	make_dgram(500, 500, false, 900);
	struct pkt p;
	frag4(&p, 17, 5, 0, 480, true, dgram);
	cap_feed_frame(c, handler(&lg), 5, 1, p.b, (uint32_t)p.n, (uint32_t)p.n);
	frag4(&p, 17, 5, 480, 428, false, dgram);
	cap_feed_frame(c, handler(&lg), 6, 2, p.b, (uint32_t)p.n, (uint32_t)p.n);
	frag4(&p, 17, 6, 0, 480, true, dgram);
	cap_feed_frame(c, handler(&lg), 7, 3, p.b, (uint32_t)p.n, (uint32_t)p.n);
	cap_feed_end(c, handler(&lg));
	cap_feed_end(c, handler(&lg)); /* once only */
	CHECK_STR(lg.events, "F1 F2 F3 X3 E");
	const struct rec *r = rec_of(&lg, 2);
	CHECK(r && r->file == 4 && r->kind == CAP_IKE && r->len == 900 && r->ts_sec == 6 &&
	      r->ts_usec == 2);
	cap_stats(c, &lg.st);
	CHECK_EQ(lg.st.reasm_done, 1);
	CHECK_EQ(lg.st.reasm_dropped, 1);
	cap_close(c);
}

/* ------------------------------------------------------------------ */
/* Real captures, checked against the tshark dumps beside them          */

static char corpus[512];

static bool
find_corpus(void)
{
	const char *env = getenv("IKELENS_CORPUS");
	if (env != NULL && *env) {
		snprintf(corpus, sizeof corpus, "%s", env);
		return access(corpus, R_OK) == 0;
	}
	/* the shared corpus sits beside the work tree: ../shared/corpus from
	 * its top, wherever the test runs below it */
	char up[64] = "..";
	for (int depth = 0; depth < 5; depth++) {
		char probe[600];
		snprintf(probe, sizeof probe, "%s/shared/corpus/README.md", up);
		if (access(probe, R_OK) == 0) {
			snprintf(corpus, sizeof corpus, "%s/shared/corpus", up);
			return true;
		}
		strcat(up, "/..");
	}
	return false;
}

struct tsframe {
	char protos[160];
	bool is_frag;	    /* IPv4 "More fragments: Set" or a non-zero "Fragment Offset" */
	unsigned proto;	    /* IPv4 "Protocol: ... (N)" */
	uint64_t frags[64]; /* "[N IPv4 Fragments ...: #a(l), #b(l)]" on the completing frame */
	unsigned nfrags;
};

static struct tsframe tsf[1024];
static unsigned nts;

/* Reads "Frame N:", "[Protocols in frame: ...]" and the fragment lists of a
 * tshark -V dump. */
static bool
load_tshark(const char *rel)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s.tshark-V.txt", corpus, rel);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return false;
	memset(tsf, 0, sizeof tsf);
	nts = 0;
	char line[8192];
	unsigned cur = 0;
	while (fgets(line, sizeof line, f) != NULL) {
		unsigned n;
		if (strncmp(line, "Frame ", 6) == 0 && sscanf(line, "Frame %u:", &n) == 1 &&
		    n < sizeof tsf / sizeof tsf[0]) {
			cur = n;
			if (n > nts)
				nts = n;
			continue;
		}
		if (cur == 0)
			continue;
		char *p = strstr(line, "[Protocols in frame: ");
		if (p != NULL) {
			p += strlen("[Protocols in frame: ");
			size_t k = strcspn(p, "]");
			if (k >= sizeof tsf[cur].protos)
				k = sizeof tsf[cur].protos - 1;
			memcpy(tsf[cur].protos, p, k);
			tsf[cur].protos[k] = '\0';
			continue;
		}
		unsigned v;
		if (strstr(line, "= More fragments: Set") != NULL)
			tsf[cur].is_frag = true;
		p = strstr(line, "= Fragment Offset: ");
		if (p != NULL && sscanf(p, "= Fragment Offset: %u", &v) == 1 && v != 0)
			tsf[cur].is_frag = true;
		if (strncmp(line, "    Protocol: ", 14) == 0 && (p = strrchr(line, '(')) != NULL &&
		    sscanf(p, "(%u)", &v) == 1 && tsf[cur].proto == 0)
			tsf[cur].proto = v;
		if (line[0] == ' ' &&
		    (strstr(line, " IPv4 Fragments (") || strstr(line, " IPv6 Fragments ("))) {
			for (p = strchr(line, '#'); p != NULL; p = strchr(p + 1, '#'))
				if (tsf[cur].nfrags < 64)
					tsf[cur].frags[tsf[cur].nfrags++] =
					    strtoull(p + 1, NULL, 10);
		}
	}
	fclose(f);
	return nts > 0;
}

/* What tshark's protocol stack ("eth:ethertype:ip:udp:udpencap:esp:ip:icmp")
 * says we must deliver: a kind, or -1.  Only the layers right after IP count;
 * what tshark decoded inside (decrypted ESP, certificates) does not.
 * *udp_only is set when tshark stopped at UDP or its data: it judged the
 * content, where the capture layer goes by the ports. */
static int
tshark_kind(const char *protos, bool *marker, bool *encap, bool *udp_only)
{
	*marker = *encap = *udp_only = false;
	char t[4][16] = {"", "", "", ""};
	const char *p = protos;
	bool after_ip = false;
	int n = 0;
	while (*p && n < 4) {
		size_t k = strcspn(p, ":");
		char tok[16];
		snprintf(tok, sizeof tok, "%.*s", (int)(k < 15 ? k : 15), p);
		if (after_ip)
			snprintf(t[n++], sizeof t[0], "%s", tok);
		else if (strcmp(tok, "ip") == 0 || strcmp(tok, "ipv6") == 0)
			after_ip = true;
		p += k;
		if (*p == ':')
			p++;
	}
	if (strcmp(t[0], "esp") == 0)
		return CAP_ESP;
	if (strcmp(t[0], "ah") == 0)
		return CAP_AH;
	if (strcmp(t[0], "udp") != 0)
		return -1;
	if (strcmp(t[1], "isakmp") == 0)
		return CAP_IKE;
	if (strcmp(t[1], "udpencap") == 0) {
		if (strcmp(t[2], "isakmp") == 0) {
			*marker = true;
			return CAP_IKE;
		}
		if (strcmp(t[2], "esp") == 0) {
			*encap = true;
			return CAP_ESP;
		}
		if (t[2][0] == '\0')
			return CAP_NATT_KEEPALIVE;
		return -1;
	}
	*udp_only = t[1][0] == '\0' || strcmp(t[1], "data") == 0;
	return -1;
}

/* Every frame of the capture against the tshark dump: kind, marker, UDP
 * encapsulation, fragments and where they were reassembled. */
static void
cross_check(const char *rel, const struct log *lg)
{
	if (!load_tshark(rel)) {
		fprintf(stderr, "%s: no tshark dump to check against\n", rel);
		CHECK(0);
		return;
	}
	CHECK_EQ(lg->st.frames, nts);
	for (unsigned n = 1; n <= nts; n++) {
		bool marker, encap, udp_only;
		int want = tshark_kind(tsf[n].protos, &marker, &encap, &udp_only);
		const struct rec *r = rec_of(lg, n);
		if (udp_only && r != NULL && (r->kind == CAP_IKE || r->kind == CAP_OTHER_UDP4500)) {
			/* tshark's ISAKMP dissector refused the content (a zero
			 * length, a loop); the ports make it ours, and the IKE
			 * dissector will say what is wrong with it */
			continue;
		}
		bool fragment = false;
		for (unsigned m = n + 1; m <= nts; m++)
			for (unsigned i = 0; i < tsf[m].nfrags; i++)
				if (tsf[m].frags[i] == n)
					fragment = true;
		int got = r ? (int)r->kind : -1;
		/* a fragment tshark reassembled elsewhere, or one it shows as
		 * data: ours to hand over when it can carry IKE, ESP or AH */
		if (want < 0 &&
		    (fragment || (tsf[n].is_frag && (tsf[n].proto == 17 || tsf[n].proto == 50 ||
						     tsf[n].proto == 51))))
			want = CAP_FRAGMENT;
		if (got != want)
			fprintf(stderr, "%s: frame %u (%s): kind %d, tshark says %d\n", rel, n,
				tsf[n].protos, got, want);
		CHECK_EQ(got, want);
		if (r == NULL)
			continue;
		CHECK_EQ(r->marker, marker);
		CHECK_EQ(r->udp_encap, encap);
		CHECK_EQ(r->reassembled, tsf[n].nfrags > 0);
		if (tsf[n].nfrags > 0)
			CHECK(frames_are(r->frames, r->nframes, tsf[n].frags, tsf[n].nfrags));
	}
}

static bool
run_corpus(const char *rel, struct log *lg)
{
	char path[1024], err[512];
	snprintf(path, sizeof path, "%s/%s", corpus, rel);
	int rc = run(path, 0, NULL, lg, err, sizeof err);
	if (rc != 0)
		fprintf(stderr, "%s: rc %d: %s\n", rel, rc, err);
	CHECK_EQ(rc, 0);
	check_stats_sum(lg);
	return rc == 0;
}

static void
test_corpus(void)
{
	if (!find_corpus()) {
		printf(
		    "test_capture: the shared corpus was not found; skipping the real captures\n");
		return;
	}
	static struct log lg;
	const struct rec *r;

	/* IKE_AUTH on 4500 sent as three IP fragments, three times */
	const char *f = "zeek-spicy-ipsec/ipsec_client.pcap";
	if (run_corpus(f, &lg)) {
		cross_check(f, &lg);
		r = rec_of(&lg, 1);
		CHECK(r && r->kind == CAP_IKE && r->len == 880 && r->sport == 500 &&
		      addr_is(&r->src, "192.168.0.10") && addr_is(&r->dst, "144.76.154.114"));
		static const uint64_t done[][3] = {{3, 4, 5}, {6, 7, 8}, {9, 10, 11}};
		for (int i = 0; i < 3; i++) {
			r = rec_of(&lg, done[i][2]);
			CHECK(r && r->kind == CAP_IKE && r->reassembled && r->marker &&
			      r->len == 3468 && r->sport == 4500 && r->dport == 4500);
			if (r)
				CHECK(frames_are(r->frames, r->nframes, done[i], 3));
			r = rec_of(&lg, done[i][0]);
			CHECK(r && r->kind == CAP_FRAGMENT && r->frag_sport == 4500 &&
			      r->frag_offset == 0 && r->len == 1440);
			r = rec_of(&lg, done[i][1]);
			CHECK(r && r->kind == CAP_FRAGMENT && r->frag_offset == 1440);
		}
		CHECK_EQ(lg.st.reasm_done, 3);
		CHECK_EQ(lg.nx, 0);
	}

	/* BSD loopback (DLT_NULL), 21 IKEv2 messages */
	f = "tcpdump/ikev2four.pcap";
	if (run_corpus(f, &lg)) {
		cross_check(f, &lg);
		CHECK_EQ(lg.n, 21);
		CHECK_EQ(lg.r[0].linktype, 0);
		CHECK(addr_is(&lg.r[0].src, "192.168.1.2") && lg.r[0].len == 376);
		CHECK(addr_is(&lg.r[20].dst, "192.168.1.1") && lg.r[20].len == 92);
	}

	/* raw IP */
	f = "suricata-verify/ikev2-weak-dh/IKEv2_SA_INIT_2-8-weak.pcap";
	if (run_corpus(f, &lg)) {
		cross_check(f, &lg);
		CHECK(lg.n == 1 && lg.r[0].linktype == DLT_RAW && lg.r[0].len == 240 &&
		      addr_is(&lg.r[0].src, "212.158.157.2"));
	}

	/* NAT-T: marker, keepalives, ESP in UDP (numbers from the tshark dump) */
	f = "tcpdump/isakmp4500.pcap";
	if (run_corpus(f, &lg)) {
		cross_check(f, &lg);
		static const unsigned marker[] = {7, 8, 9, 10, 11, 15, 16, 20, 21, 30, 35};
		static const unsigned keep[] = {18, 23, 28, 34};
		static const unsigned esp[] = {12, 17, 19, 22, 24, 25, 29, 31};
		for (size_t i = 0; i < sizeof marker / sizeof marker[0]; i++) {
			r = rec_of(&lg, marker[i]);
			CHECK(r && r->kind == CAP_IKE && r->marker && r->sport == 4500);
		}
		for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
			r = rec_of(&lg, keep[i]);
			CHECK(r && r->kind == CAP_NATT_KEEPALIVE && r->len == 1);
		}
		for (size_t i = 0; i < sizeof esp / sizeof esp[0]; i++) {
			r = rec_of(&lg, esp[i]);
			CHECK(r && r->kind == CAP_ESP && r->udp_encap && r->len == 132);
			CHECK(r && r->head[0] == 0xf4 && r->head[3] == 0xe5); /* SPI 0xf4dc0ae5 */
		}
		r = rec_of(&lg, 3);
		CHECK(r && r->kind == CAP_IKE && !r->marker && r->len == 292);
		CHECK_EQ(lg.st.skipped, 8); /* ARP */
	}

	/* pcapng; plain ESP */
	f = "ndpi/esp.pcapng";
	if (run_corpus(f, &lg)) {
		cross_check(f, &lg);
		r = rec_of(&lg, 5);
		CHECK(r && r->kind == CAP_ESP && !r->udp_encap && r->len == 132);
		CHECK(r && r->head[0] == 0x23 && r->head[3] == 0xe3); /* SPI 0x2360b0e3 */
		r = rec_of(&lg, 6);
		CHECK(r && r->head[0] == 0xf0 && r->head[3] == 0xb5); /* SPI 0xf0092cb5 */
		CHECK(addr_is(&r->src, "10.3.4.4"));
	}

	/* gzip-compressed pcapng */
	f = "wireshark/ikev1-bug-12610.pcapng.gz";
	if (run_corpus(f, &lg)) {
		cross_check(f, &lg);
		CHECK_EQ(lg.n, 16);
		CHECK(addr_is(&lg.r[0].src, "192.168.0.100") && lg.r[0].len == 612);
	}

	/* Fuzzed: a first fragment cut to 46 bytes, UDP 4500 -> 8472 (length
	 * 362).  Not reassembled; taken alone, as tshark does: ESP in UDP, SPI
	 * 0xc0f7d4c3. */
	f = "tcpdump/esp_truncated.pcap";
	if (run_corpus(f, &lg)) {
		cross_check(f, &lg);
		r = rec_of(&lg, 1);
		CHECK(r && r->kind == CAP_ESP && r->udp_encap && r->sport == 4500 &&
		      r->dport == 8472 && r->truncated && r->len == 4 && r->wire_len == 354 &&
		      r->frag_more);
		CHECK(r && r->head[0] == 0xc0 && r->head[1] == 0xf7 && r->head[2] == 0xd4 &&
		      r->head[3] == 0xc3);
		CHECK_STR(lg.events, "F1 E");
	}

	/* Fuzzed: two cut first fragments to 500 -> 49152 and, between them,
	 * a fragment of protocol 40.  tshark's initiator SPIs: 3c003d809b0000fd
	 * and 3c0037809b0000fd. */
	f = "tcpdump/isakmp-ikev1_n_print-oobr.pcap";
	if (run_corpus(f, &lg)) {
		cross_check(f, &lg);
		static const uint8_t spi1[8] = {0x3c, 0x00, 0x3d, 0x80, 0x9b, 0x00, 0x00, 0xfd};
		static const uint8_t spi3[8] = {0x3c, 0x00, 0x37, 0x80, 0x9b, 0x00, 0x00, 0xfd};
		r = rec_of(&lg, 1);
		CHECK(r && r->kind == CAP_IKE && r->sport == 500 && r->dport == 49152 &&
		      r->truncated && r->len == 42 && addr_is(&r->src, "80.236.128.20") &&
		      memcmp(r->head, spi1, 8) == 0);
		r = rec_of(&lg, 3);
		CHECK(r && r->kind == CAP_IKE && r->sport == 500 &&
		      addr_is(&r->src, "80.0.128.20") && memcmp(r->head, spi3, 8) == 0);
		CHECK(rec_of(&lg, 2) == NULL);
		CHECK_STR(lg.events, "F1 F3 E");
	}

	/* More fuzzed first fragments cut by the snap length */
	f = "tcpdump/isakmpv1-attr-oobr.pcap";
	if (run_corpus(f, &lg)) {
		cross_check(f, &lg);
		r = rec_of(&lg, 1);
		CHECK(r && r->kind == CAP_IKE && r->sport == 32514 && r->dport == 500 &&
		      r->truncated);
	}
	f = "tcpdump/ikev1_id_ipv6_addr_subnet-oobr.pcap";
	if (run_corpus(f, &lg)) {
		cross_check(f, &lg);
		r = rec_of(&lg, 1);
		CHECK(r && r->kind == CAP_IKE && r->sport == 500 && r->dport == 0 && r->truncated);
	}
}

/* Every capture the corpus index lists, frame by frame against tshark. */
static void
test_corpus_all(void)
{
	if (corpus[0] == '\0')
		return;
	char path[1024], line[4096];
	snprintf(path, sizeof path, "%s/index.tsv", corpus);
	FILE *f = fopen(path, "r");
	CHECK(f != NULL);
	if (f == NULL)
		return;
	static struct log lg;
	unsigned files = 0;
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\t\r\n")] = '\0';
		if (strcmp(line, "path") == 0 || line[0] == '\0')
			continue;
		files++;
		if (run_corpus(line, &lg))
			cross_check(line, &lg);
	}
	fclose(f);
	CHECK(files >= 50);
}

int
main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "%s/ikelens-capture-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_ethernet();
	test_sll();
	test_raw();
	test_loopback();
	test_unsupported();
	test_ip();
	test_udp();
	test_truncated();
	test_frag_order();
	test_frag6();
	test_frag_never();
	test_frag_limits();
	test_frag_not_ours();
	test_frag_truncated();
	test_icmp();
	test_files();
	test_gzip_and_stdin();
	test_bad_files();
	test_pcapng();
	test_dump();
	test_controls();
	test_filter();
	test_feed();
	test_live();
	test_corpus();
	test_corpus_all();

	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return check_done("test_capture");
}
