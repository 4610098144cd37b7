/*
 * frame.c - one frame: link -> IPv4/IPv6 -> (reassembly) -> UDP 500, UDP
 * 4500 (RFC 3948), ESP, AH, or an ICMP error about IKE.  The policy of what
 * is interesting lives here; the header decoding in dissect/net.c.
 *
 * Nothing is copied or allocated for an unfragmented packet: the frame handed
 * to the callback points into libpcap's buffer.
 */
#include "src/capture/cap_int.h"

#include <stdarg.h>
#include <string.h>

#define PORT_IKE 500
#define PORT_NATT 4500

static void anomaly(struct cap *c, size_t off, const char *layer, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
anomaly(struct cap *c, size_t off, const char *layer, const char *fmt, ...)
{
	if (c->h == NULL || c->h->anomaly == NULL)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->what, sizeof c->what, fmt, ap);
	va_end(ap);
	struct cap_anomaly a = {c->file, c->num, off, layer, c->what};
	c->h->anomaly(c->h->ctx, &a);
}

static bool
deliver(struct cap *c, const struct cap_frame *f)
{
	c->st.matched++;
	/* -w: every frame that delivers something, once, as it was read */
	cap_dump_current(c);
	if (c->h != NULL && c->h->frame != NULL)
		c->h->frame(c->h->ctx, f);
	return true;
}

static bool
is_ike_port(uint16_t p)
{
	return p == PORT_IKE || p == PORT_NATT;
}

/* Point the frame at what the cursor holds, of wire bytes by the headers. */
static void
set_data(struct cap_frame *f, struct cur *d, size_t wire)
{
	size_t n = cur_left(d);
	if (n > wire)
		n = wire;
	f->data = cur_bytes(d, n);
	f->len = n;
	f->wire_len = wire;
	f->truncated = n < wire;
}

static void
set_addr(struct addr *a, uint8_t version, const uint8_t *b)
{
	if (version == 4)
		addr_set4(a, b);
	else
		addr_set6(a, b);
}

static const char *
ip_layer(uint8_t version)
{
	return version == 6 ? "ipv6" : "ip";
}

/*
 * UDP 4500 (RFC 3948): a single 0xFF byte is a NAT-keepalive (2.3); four zero
 * bytes, the non-ESP marker, precede an IKE message (2.2); anything else of
 * four bytes or more starts with a non-zero SPI: ESP (2.1).
 */
static bool
natt(struct cap *c, struct cap_frame *f, struct cur d, size_t wire)
{
	size_t have = cur_left(&d);
	if (wire == 1 && have >= 1 && cur_peek_u8(&d, 0) == 0xff) {
		f->kind = CAP_NATT_KEEPALIVE;
	} else if (wire >= 4 && have >= 4) {
		struct cur p = d;
		if (cur_be32(&p) == 0) {
			f->kind = CAP_IKE;
			f->non_esp_marker = true;
			cur_skip(&d, 4);
			wire -= 4;
		} else {
			f->kind = CAP_ESP;
			f->udp_encap = true;
		}
	} else {
		f->kind = CAP_OTHER_UDP4500;
	}
	set_data(f, &d, wire);
	return deliver(c, f);
}

/* alone: the first fragment of a datagram that will not be reassembled,
 * taken on its own - the UDP length then covers more than it holds. */
static bool
udp(struct cap *c, struct cap_frame *f, struct cur pl, size_t wire, size_t off, bool alone)
{
	struct net_udp u;
	enum net_status st = net_udp_decode(&pl, &u);
	if (st == NET_SHORT)
		return false; /* the snap length cut the UDP header: nothing to go on */
	bool ike = u.sport == PORT_IKE || u.dport == PORT_IKE;
	bool nat = u.sport == PORT_NATT || u.dport == PORT_NATT;
	if (!ike && !nat)
		return false;
	f->sport = u.sport;
	f->dport = u.dport;
	if (st == NET_MALFORMED) {
		anomaly(c, off, "udp", "UDP length %u is less than the 8-byte UDP header", u.len);
		return false;
	}
	size_t ulen = u.len;
	if (ulen > wire && !alone) {
		anomaly(c, off, "udp",
			"UDP length %zu exceeds the %zu bytes the IP header leaves; using the IP "
			"length",
			ulen, wire);
		ulen = wire;
	}
	size_t dwire = ulen - 8;
	struct cur d = cur_sub_upto(&pl, dwire, NULL);
	/* 500 before 4500, as tshark tries the lower port first */
	if (ike) {
		f->kind = CAP_IKE;
		set_data(f, &d, dwire);
		return deliver(c, f);
	}
	return natt(c, f, d, dwire);
}

/* An ICMP/ICMPv6 error (RFC 792, RFC 4443) quoting a UDP 500/4500 datagram. */
static bool
icmp(struct cap *c, struct cap_frame *f, bool v6, struct cur pl, size_t wire)
{
	struct net_icmp m;
	struct cur q = pl;
	if (net_icmp_decode(&q, v6, &m) != NET_OK || !m.error || !m.quote_udp)
		return false;
	if (!is_ike_port(m.udp.sport) && !is_ike_port(m.udp.dport))
		return false;
	f->kind = CAP_ICMP;
	f->icmp_type = m.type;
	f->icmp_code = m.code;
	set_addr(&f->icmp_src, m.inner.version, m.inner.src);
	set_addr(&f->icmp_dst, m.inner.version, m.inner.dst);
	f->icmp_sport = m.udp.sport;
	f->icmp_dport = m.udp.dport;
	size_t n = cur_left(&m.quote);
	f->icmp_quote = cur_bytes(&m.quote, n);
	f->icmp_quote_len = n;
	set_data(f, &pl, wire);
	return deliver(c, f);
}

static bool
transport(struct cap *c, struct cap_frame *f, uint8_t version, uint8_t proto, struct cur pl,
	  size_t wire, size_t off, bool alone)
{
	f->ip_proto = proto;
	switch (proto) {
	case NET_PROTO_UDP:
		return udp(c, f, pl, wire, off, alone);
	case NET_PROTO_ESP:
		f->kind = CAP_ESP;
		set_data(f, &pl, wire);
		return deliver(c, f);
	case NET_PROTO_AH:
		f->kind = CAP_AH;
		set_data(f, &pl, wire);
		return deliver(c, f);
	case NET_PROTO_ICMP:
		return version == 4 && icmp(c, f, false, pl, wire);
	case NET_PROTO_ICMPV6:
		return version == 6 && icmp(c, f, true, pl, wire);
	default:
		return false;
	}
}

static void
reasm_anomalies(struct cap *c, const struct net_ip *ip, size_t off, unsigned flags)
{
	const char *layer = "reassembly";
	if (flags & REASM_F_OVERLAP)
		anomaly(c, off, layer,
			"fragment (offset %u, %zu bytes) overlaps data already received; the bytes "
			"that arrived first are kept%s",
			(unsigned)ip->frag_off, ip->payload_len,
			ip->version == 6 ? " (RFC 5722: IPv6 receivers drop such datagrams)" : "");
	if (flags & REASM_F_TOO_BIG)
		anomaly(
		    c, off, layer,
		    "fragment at offset %u makes the datagram longer than 65535 bytes; datagram "
		    "dropped",
		    (unsigned)ip->frag_off);
	if (flags & REASM_F_BAD_END)
		anomaly(c, off, layer,
			"fragments disagree on where the datagram ends; datagram dropped");
	if (flags & REASM_F_MISALIGNED)
		anomaly(c, off, layer,
			"fragment with more-fragments set carries %zu bytes, not a multiple of 8; "
			"it cannot be reassembled",
			ip->payload_len);
	if (flags & REASM_F_TOO_MANY)
		anomaly(c, off, layer, "more than %u fragments for one datagram; datagram dropped",
			REASM_MAX_FRAGS);
	if (flags & REASM_F_NOMEM)
		anomaly(c, off, layer,
			"datagram does not fit in the reassembly memory cap; datagram dropped");
}

/*
 * Is a first fragment ours?  It tells the upper layer and, for UDP, the
 * ports.  Sets the ports in rf.  Unknown (cut short) counts as ours.
 */
static bool
first_fragment_ours(const struct net_ip *ip, uint8_t nh, struct reasm_frag *rf)
{
	struct cur p = ip->payload;
	uint8_t upper = nh;
	if (ip->version == 6) {
		struct net_ip6_ext w;
		if (net_ip6_walk(&p, nh, &w) != NET_OK || w.frag)
			return true;
		upper = w.proto;
	}
	if (upper == NET_PROTO_ESP || upper == NET_PROTO_AH)
		return true;
	if (upper != NET_PROTO_UDP)
		return false;
	uint16_t sp = cur_be16(&p), dp = cur_be16(&p);
	if (!cur_ok(&p))
		return true;
	rf->ports = true;
	rf->sport = sp;
	rf->dport = dp;
	return is_ike_port(sp) || is_ike_port(dp);
}

/* A fragment handed over as CAP_FRAGMENT that will never be reassembled. */
static void
close_now(struct cap *c)
{
	c->st.reasm_dropped++;
	if (c->h != NULL && c->h->frag_expired != NULL)
		c->h->frag_expired(c->h->ctx, c->file, &c->num, 1);
}

/* The first fragment of a datagram that will not be reassembled, classified
 * on its own like an unfragmented packet (truncated: the rest is missing). */
static bool
first_alone(struct cap *c, struct cap_frame *f, const struct net_ip *ip, uint8_t nh, size_t pl_off)
{
	struct cur pl = ip->payload;
	size_t wire = ip->payload_len;
	uint8_t proto = nh;
	if (ip->version == 6) {
		struct net_ip6_ext w;
		if (net_ip6_walk(&pl, nh, &w) != NET_OK || w.frag)
			return false;
		proto = w.proto;
		wire -= w.len;
	}
	return transport(c, f, ip->version, proto, pl, wire, pl_off, true);
}

static bool
fragment(struct cap *c, struct cap_frame *f, const struct net_ip *ip, size_t pl_off,
	 const struct pcap_pkthdr *ph)
{
	bool v6 = ip->version == 6;
	uint8_t nh = v6 ? ip->frag_nh : ip->proto;
	f->ip_proto = nh;
	f->frag_offset = ip->frag_off;
	f->frag_more = ip->frag_more;

	/* Only what can carry IKE, ESP or AH is kept.  IPv4 names the protocol in
	 * every fragment; in IPv6 the first fragment may hide it behind more
	 * extension headers. */
	bool candidate =
	    nh == NET_PROTO_UDP || nh == NET_PROTO_ESP || nh == NET_PROTO_AH ||
	    (v6 && (nh == NET_PROTO_HOPOPTS || nh == NET_PROTO_ROUTING || nh == NET_PROTO_DSTOPTS));
	if (!candidate)
		return false;

	struct reasm_frag rf;
	memset(&rf, 0, sizeof rf);
	rf.key.version = ip->version;
	rf.key.proto = v6 ? 0 : ip->proto;
	memcpy(rf.key.src, ip->src, 16);
	memcpy(rf.key.dst, ip->dst, 16);
	rf.key.id = ip->id;
	rf.off = ip->frag_off;
	rf.more = ip->frag_more;
	rf.data = ip->payload;
	rf.len = ip->payload_len;
	rf.hdr_len = ip->hdr_len;
	rf.frame = c->num;
	rf.ts = (int64_t)ph->ts.tv_sec;
	rf.nh = nh;
	if (ip->frag_off == 0 && !first_fragment_ours(ip, nh, &rf)) {
		/* The first fragment shows another protocol or other ports: skip
		 * the datagram, and close the fragments already handed over. */
		reasm_reject(c->ra, &rf.key, rf.ts);
		return false;
	}
	if (cur_left(&ip->payload) < ip->payload_len) {
		/* Cut by the snap length: as tshark does, do not reassemble - the
		 * datagram can never complete.  A first fragment is taken on its
		 * own, which still shows the IKE header (SPIs, exchange, message
		 * ID); a later one is handed over and closed at once. */
		reasm_abandon(c->ra, &rf.key, rf.ts);
		if (ip->frag_off == 0)
			return first_alone(c, f, ip, nh, pl_off);
		f->kind = CAP_FRAGMENT;
		struct cur d = ip->payload;
		set_data(f, &d, ip->payload_len);
		deliver(c, f);
		close_now(c);
		return true;
	}

	struct reasm_result res;
	enum reasm_status rs = reasm_add(c->ra, &rf, &res);
	reasm_anomalies(c, ip, pl_off, res.flags);
	if (rs == REASM_HELD || rs == REASM_LOST) {
		f->kind = CAP_FRAGMENT;
		if (res.ports) {
			f->frag_sport = res.sport;
			f->frag_dport = res.dport;
		}
		struct cur d = ip->payload;
		set_data(f, &d, ip->payload_len);
		deliver(c, f);
		if (rs == REASM_LOST)
			close_now(c);
		return true;
	}
	if (rs != REASM_DONE)
		return false;

	/* This fragment completes the datagram: classify what it carries. */
	c->st.reasm_done++;
	f->reassembled = true;
	f->frag_frames = res.frames;
	f->nfrag_frames = res.nframes;
	if (res.ports) {
		f->frag_sport = res.sport;
		f->frag_dport = res.dport;
	}
	struct cur pl = cur_make(res.data, res.total);
	size_t wire = res.total;
	uint8_t proto = res.nh;
	bool ok = true;
	if (v6) {
		/* RFC 8200 4.5: the fragmentable part starts with the first
		 * fragment's Next Header and may hold more extension headers. */
		struct net_ip6_ext w;
		enum net_status st = net_ip6_walk(&pl, res.nh, &w);
		if (st != NET_OK || w.frag) {
			anomaly(c, pl_off, "ipv6", "%s",
				w.frag ? "a fragment header inside a reassembled datagram"
				       : "extension headers of the reassembled datagram run past "
					 "its end");
			ok = false;
		} else {
			proto = w.proto;
			wire -= w.len;
		}
	}
	if (ok)
		ok = transport(c, f, ip->version, proto, pl, wire, pl_off, false);
	if (!ok && c->h != NULL && c->h->frag_expired != NULL) {
		/* handed over as CAP_FRAGMENT, and nothing will ever list them */
		c->h->frag_expired(c->h->ctx, c->file, res.frames, res.nframes);
	}
	reasm_release(c->ra);
	return ok;
}

/* Decodes the frame; true when something was handed to the callback. */
static bool
decode(struct cap *c, const struct pcap_pkthdr *ph, const uint8_t *bytes, struct cap_frame *f)
{
	size_t caplen = ph->caplen;
	size_t wire = ph->len > caplen ? ph->len : caplen;
	struct cur fc = cur_make(bytes, caplen);
	struct net_link_hdr lh;
	enum net_status st = net_link_decode(c->link, &fc, &lh);
	if (st == NET_OTHER)
		return false;
	if (st != NET_OK) {
		/* cut by the snap length before the IP header: nothing to say */
		if (st == NET_MALFORMED || caplen >= wire)
			anomaly(c, lh.err_off, "link", "%s", lh.err);
		return false;
	}
	f->vlan = lh.vlan;

	size_t ip_off = cur_off(&fc);
	struct net_ip ip;
	st = net_ip_decode(&fc, wire - lh.len, &ip);
	if (st != NET_OK) {
		if (st == NET_MALFORMED)
			anomaly(c, ip.err_off, ip_layer(lh.ipver), "%s", ip.err);
		return false;
	}
	if (ip.version != lh.ipver) {
		anomaly(c, ip_off, ip_layer(ip.version),
			"the link layer announces IPv%u but the header is IPv%u", lh.ipver,
			ip.version);
		return false;
	}
	set_addr(&f->src, ip.version, ip.src);
	set_addr(&f->dst, ip.version, ip.dst);
	f->ttl = ip.ttl;
	f->ip_id = ip.id;
	f->ip_proto = ip.proto;
	if (ip.beyond_frame)
		anomaly(c, ip_off, ip_layer(ip.version),
			"%s length %zu exceeds the %zu bytes the frame has; using the frame",
			ip.version == 6 ? "IPv6 header plus payload" : "IPv4 total", ip.total_len,
			wire - lh.len);

	size_t pl_off = ip_off + ip.hdr_len;
	if (ip.frag)
		return fragment(c, f, &ip, pl_off, ph);
	return transport(c, f, ip.version, ip.proto, ip.payload, ip.payload_len, pl_off, false);
}

void
cap_process(struct cap *c, const struct pcap_pkthdr *ph, const uint8_t *bytes)
{
	c->num++;
	c->st.frames++;
	c->cur_hdr = ph;
	c->cur_data = bytes;
	c->dumped = false;
	reasm_expire(c->ra, (int64_t)ph->ts.tv_sec);

	if (!c->link_ok) {
		c->st.unsupported++;
		if (!c->unsupported_noted) {
			c->unsupported_noted = true;
			anomaly(
			    c, 0, "link",
			    "frames of link type %d (%s) cannot be decoded; they are counted and "
			    "skipped",
			    c->dlt, cap_linktype_name(c));
		}
	} else {
		struct cap_frame f;
		memset(&f, 0, sizeof f);
		f.file = c->file;
		f.num = c->num;
		f.ts_sec = (int64_t)ph->ts.tv_sec;
		f.ts_usec = (uint32_t)ph->ts.tv_usec;
		f.caplen = ph->caplen;
		f.wirelen = ph->len;
		f.linktype = c->dlt;
		if (!decode(c, ph, bytes, &f))
			c->st.skipped++;
	}
	c->cur_hdr = NULL;
	c->cur_data = NULL;
}

void
cap_on_reasm_gone(void *ctx, const uint64_t *frames, unsigned n, enum reasm_why why)
{
	struct cap *c = ctx;
	if (why != REASM_NOT_OURS)
		c->st.reasm_dropped++;
	if (why == REASM_CAP_DGRAMS)
		anomaly(c, 0, "reassembly",
			"too many datagrams under reassembly: gave up the oldest (frame %llu and "
			"%u more)",
			(unsigned long long)(n ? frames[0] : 0), n ? n - 1 : 0);
	else if (why == REASM_CAP_BYTES)
		anomaly(c, 0, "reassembly",
			"reassembly memory cap reached: gave up the oldest datagram (frame %llu "
			"and %u more)",
			(unsigned long long)(n ? frames[0] : 0), n ? n - 1 : 0);
	if (c->h != NULL && c->h->frag_expired != NULL)
		c->h->frag_expired(c->h->ctx, c->file, frames, n);
}
