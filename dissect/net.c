/*
 * net.c - link, IPv4, IPv6, UDP and ICMP header decoders.  See net.h.
 */
#include "dissect/net.h"

#include <string.h>

/* An empty cursor (cur_make(NULL, 0) would do pointer arithmetic on NULL). */
static struct cur
empty_cur(void)
{
	static const uint8_t none[1];
	return cur_make(none, 0);
}

static enum net_status
fail(const char **err, size_t *err_off, enum net_status st, const char *what, size_t off)
{
	*err = what;
	*err_off = off;
	return st;
}

const char *
net_link_name(enum net_link link)
{
	switch (link) {
	case NET_LINK_ETHER:
		return "EN10MB";
	case NET_LINK_SLL:
		return "LINUX_SLL";
	case NET_LINK_SLL2:
		return "LINUX_SLL2";
	case NET_LINK_RAW:
		return "RAW";
	case NET_LINK_NULL:
		return "NULL";
	case NET_LINK_LOOP:
		return "LOOP";
	}
	return "?";
}

/* 802.1Q (0x8100), 802.1ad (0x88a8), and the pre-standard QinQ TPIDs 0x9100 / 0x9200. */
static bool
is_vlan_tpid(uint16_t t)
{
	return t == 0x8100 || t == 0x88a8 || t == 0x9100 || t == 0x9200;
}

static uint32_t
bswap32(uint32_t v)
{
	return (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24);
}

/*
 * BSD loopback address families.  AF_INET is 2 everywhere; AF_INET6 is 24 on
 * NetBSD, OpenBSD, BSD/OS (and Npcap), 28 on FreeBSD and DragonFly, 30 on
 * macOS.  A capture file keeps the value of the machine that wrote it.
 */
static uint8_t
family_ipver(uint32_t af)
{
	switch (af) {
	case 2:
		return 4;
	case 24:
	case 28:
	case 30:
		return 6;
	default:
		return 0;
	}
}

static uint8_t
ethertype_ipver(uint16_t t)
{
	if (t == NET_ETHERTYPE_IPV4)
		return 4;
	if (t == NET_ETHERTYPE_IPV6)
		return 6;
	return 0;
}

enum net_status
net_link_decode(enum net_link link, struct cur *c, struct net_link_hdr *h)
{
	memset(h, 0, sizeof *h);
	size_t start = cur_off(c);
	uint16_t type = 0;
	bool tagged_link = true;
	const char *what = "frame too short for the link header";

	switch (link) {
	case NET_LINK_ETHER:
		/* destination, source, EtherType or 802.3 length */
		cur_skip(c, 12);
		type = cur_be16(c);
		what = "frame too short for the Ethernet header";
		if (cur_ok(c) && type <= 1500) {
			/* IEEE 802.3 with an LLC header; follow SNAP (RFC 1042) only */
			uint8_t dsap = cur_u8(c), ssap = cur_u8(c), ctl = cur_u8(c);
			if (!cur_ok(c))
				break;
			if (dsap != 0xaa || ssap != 0xaa || ctl != 0x03) {
				h->len = cur_off(c) - start;
				return NET_OTHER;
			}
			cur_skip(c, 3); /* OUI */
			type = cur_be16(c);
		}
		break;
	case NET_LINK_SLL: {
		/* packet type, ARPHRD type, address length, 8 address bytes, protocol */
		cur_skip(c, 2);
		uint16_t hatype = cur_be16(c);
		cur_skip(c, 10);
		type = cur_be16(c);
		what = "frame too short for the Linux cooked header";
		if (cur_ok(c) && hatype == 824) { /* ARPHRD_NETLINK: protocol is a netlink family */
			h->len = cur_off(c) - start;
			return NET_OTHER;
		}
		break;
	}
	case NET_LINK_SLL2: {
		/* protocol, reserved, interface index, ARPHRD type, packet type, address
		 * length, 8 address bytes */
		type = cur_be16(c);
		cur_skip(c, 6);
		uint16_t hatype = cur_be16(c);
		cur_skip(c, 10);
		what = "frame too short for the Linux cooked v2 header";
		if (cur_ok(c) && hatype == 824) {
			h->len = cur_off(c) - start;
			return NET_OTHER;
		}
		break;
	}
	case NET_LINK_RAW: {
		tagged_link = false;
		if (cur_left(c) == 0)
			return fail(&h->err, &h->err_off, NET_SHORT, "empty raw IP frame", start);
		uint8_t v = (uint8_t)(cur_peek_u8(c, 0) >> 4);
		h->ipver = v == 4 || v == 6 ? v : 0;
		h->ethertype = h->ipver == 4   ? NET_ETHERTYPE_IPV4
			       : h->ipver == 6 ? NET_ETHERTYPE_IPV6
					       : 0;
		if (h->ipver == 0)
			return fail(&h->err, &h->err_off, NET_MALFORMED,
				    "raw IP frame with an IP version that is neither 4 nor 6",
				    start);
		return NET_OK;
	}
	case NET_LINK_NULL:
	case NET_LINK_LOOP: {
		tagged_link = false;
		uint32_t af = link == NET_LINK_LOOP ? cur_be32(c) : cur_le32(c);
		if (!cur_ok(c))
			return fail(&h->err, &h->err_off, NET_SHORT,
				    "frame too short for the loopback header", start);
		/* DLT_NULL is in the writer's byte order: families are small numbers,
		 * so a value with high bits set was written big-endian. */
		if (link == NET_LINK_NULL && (af & 0xffff0000u) != 0)
			af = bswap32(af);
		h->family = af;
		h->ipver = family_ipver(af);
		h->len = cur_off(c) - start;
		h->ethertype = h->ipver == 4   ? NET_ETHERTYPE_IPV4
			       : h->ipver == 6 ? NET_ETHERTYPE_IPV6
					       : 0;
		return h->ipver ? NET_OK : NET_OTHER;
	}
	}

	if (tagged_link) {
		/* 802.1Q / 802.1ad tags, as many as there are (QinQ): TCI then the
		 * next type.  Each consumes 4 bytes, so the loop ends with the frame. */
		while (cur_ok(c) && is_vlan_tpid(type)) {
			uint16_t tci = cur_be16(c);
			uint16_t next = cur_be16(c);
			if (!cur_ok(c)) {
				what = "frame ends inside a VLAN tag";
				break;
			}
			if (h->nvlan == 0)
				h->vlan = tci & 0x0fffu;
			if (h->nvlan < UINT8_MAX)
				h->nvlan++;
			type = next;
		}
	}
	if (!cur_ok(c))
		return fail(&h->err, &h->err_off, NET_SHORT, what, start);
	h->len = cur_off(c) - start;
	h->ethertype = type;
	h->ipver = ethertype_ipver(type);
	return h->ipver ? NET_OK : NET_OTHER;
}

enum net_status
net_ip6_walk(struct cur *c, uint8_t nh, struct net_ip6_ext *w)
{
	memset(w, 0, sizeof *w);
	for (;;) {
		w->proto = nh;
		size_t at = cur_off(c);
		switch (nh) {
		case NET_PROTO_HOPOPTS:
		case NET_PROTO_ROUTING:
		case NET_PROTO_DSTOPTS: {
			/* RFC 8200 4.3, 4.4, 4.6: Next Header, Hdr Ext Len in 8-octet
			 * units not counting the first 8 octets, then the rest. */
			if (w->count >= NET_IP6_MAX_EXT)
				return fail(&w->err, &w->err_off, NET_MALFORMED,
					    "too many IPv6 extension headers", at);
			uint8_t next = cur_u8(c);
			uint8_t hlen = cur_u8(c);
			size_t n = 8 + (size_t)hlen * 8;
			cur_skip(c, n - 2);
			if (!cur_ok(c))
				return fail(&w->err, &w->err_off, NET_SHORT,
					    "IPv6 extension header runs past the data", at);
			w->len += n;
			w->count++;
			nh = next;
			continue;
		}
		case NET_PROTO_FRAGMENT: {
			/* RFC 8200 4.5: Next Header, reserved, offset (13 bits, 8-octet
			 * units), 2 reserved bits, M flag, Identification. */
			if (w->count >= NET_IP6_MAX_EXT)
				return fail(&w->err, &w->err_off, NET_MALFORMED,
					    "too many IPv6 extension headers", at);
			uint8_t next = cur_u8(c);
			cur_skip(c, 1);
			uint16_t fo = cur_be16(c);
			uint32_t id = cur_be32(c);
			if (!cur_ok(c))
				return fail(&w->err, &w->err_off, NET_SHORT,
					    "IPv6 fragment header runs past the data", at);
			w->len += 8;
			w->count++;
			w->has_frag = true;
			w->frag_id = id;
			w->frag_off = (uint32_t)(fo & 0xfff8u);
			w->frag_more = (fo & 1u) != 0;
			w->frag_nh = next;
			if (w->frag_off == 0 && !w->frag_more) {
				/* An atomic fragment (RFC 6946): processed as a whole packet. */
				nh = next;
				continue;
			}
			w->frag = true;
			return NET_OK;
		}
		default:
			/* An upper layer, ESP (50), AH (51: reported, not skipped), no next
			 * header (59), or a header we do not step over. */
			return NET_OK;
		}
	}
}

static enum net_status
ip4_decode(struct cur *c, size_t wire_left, struct net_ip *ip)
{
	size_t start = cur_off(c);
	size_t have = cur_left(c);
	/* RFC 791 3.1 */
	uint8_t vihl = cur_u8(c);
	cur_skip(c, 1); /* type of service */
	uint16_t total = cur_be16(c);
	uint16_t id = cur_be16(c);
	uint16_t fo = cur_be16(c);
	uint8_t ttl = cur_u8(c);
	uint8_t proto = cur_u8(c);
	cur_skip(c, 2); /* header checksum, not checked */
	cur_copy(c, ip->src, 4);
	cur_copy(c, ip->dst, 4);
	if (!cur_ok(c))
		return fail(&ip->err, &ip->err_off, wire_left > have ? NET_SHORT : NET_MALFORMED,
			    "IPv4 header cut short", start);
	ip->version = 4;
	ip->ttl = ttl;
	ip->proto = proto;
	ip->id = id;
	ip->frag_off = (uint32_t)(fo & 0x1fffu) * 8;
	ip->frag_more = (fo & 0x2000u) != 0;
	ip->frag = ip->frag_more || ip->frag_off != 0;
	size_t ihl = (size_t)(vihl & 0x0fu) * 4;
	ip->hdr_len = ihl;
	ip->total_len = total;
	if (ihl < 20)
		return fail(&ip->err, &ip->err_off, NET_MALFORMED,
			    "IPv4 header length under 20 bytes", start);
	if (total < ihl)
		return fail(&ip->err, &ip->err_off, NET_MALFORMED,
			    "IPv4 total length smaller than its header length", start);
	if (!cur_skip(c, ihl - 20)) /* options */
		return fail(&ip->err, &ip->err_off, wire_left > have ? NET_SHORT : NET_MALFORMED,
			    "IPv4 options cut short", start);
	size_t len = total;
	if (len > wire_left) {
		ip->beyond_frame = true;
		len = wire_left;
	}
	ip->payload_len = len - ihl;
	ip->payload = cur_sub_upto(c, ip->payload_len, NULL);
	return NET_OK;
}

static enum net_status
ip6_decode(struct cur *c, size_t wire_left, struct net_ip *ip)
{
	size_t start = cur_off(c);
	size_t have = cur_left(c);
	/* RFC 8200 3: version, traffic class, flow label, payload length, next
	 * header, hop limit, addresses */
	cur_skip(c, 4);
	uint16_t plen = cur_be16(c);
	uint8_t nh = cur_u8(c);
	uint8_t hlim = cur_u8(c);
	cur_copy(c, ip->src, 16);
	cur_copy(c, ip->dst, 16);
	if (!cur_ok(c))
		return fail(&ip->err, &ip->err_off, wire_left > have ? NET_SHORT : NET_MALFORMED,
			    "IPv6 header cut short", start);
	ip->version = 6;
	ip->ttl = hlim;
	ip->total_len = 40 + (size_t)plen;
	if (plen == 0 && nh != NET_PROTO_NONE)
		return fail(&ip->err, &ip->err_off, NET_MALFORMED,
			    "IPv6 payload length 0 (jumbograms are not supported)", start);
	size_t len = plen;
	if (40 + len > wire_left) {
		ip->beyond_frame = true;
		len = wire_left - 40;
	}
	bool cut = false;
	struct cur pl = cur_sub_upto(c, len, &cut);
	enum net_status st = net_ip6_walk(&pl, nh, &ip->ext);
	if (st != NET_OK) {
		if (st == NET_SHORT && !cut) {
			/* the headers run past what the payload length allows */
			st = NET_MALFORMED;
			ip->ext.err = "IPv6 extension headers run past the payload length";
		}
		return fail(&ip->err, &ip->err_off, st, ip->ext.err, ip->ext.err_off);
	}
	ip->hdr_len = 40 + ip->ext.len;
	ip->proto = ip->ext.proto;
	ip->id = ip->ext.has_frag ? ip->ext.frag_id : 0;
	ip->frag = ip->ext.frag;
	ip->frag_more = ip->ext.frag_more;
	ip->frag_off = ip->ext.frag_off;
	ip->frag_nh = ip->ext.frag_nh;
	ip->payload_len = len - ip->ext.len;
	ip->payload = pl;
	return NET_OK;
}

enum net_status
net_ip_decode(struct cur *c, size_t wire_left, struct net_ip *ip)
{
	memset(ip, 0, sizeof *ip);
	ip->payload = empty_cur();
	size_t start = cur_off(c);
	if (cur_left(c) == 0)
		return fail(&ip->err, &ip->err_off, wire_left > 0 ? NET_SHORT : NET_MALFORMED,
			    "no IP header", start);
	uint8_t v = (uint8_t)(cur_peek_u8(c, 0) >> 4);
	if (v == 4)
		return ip4_decode(c, wire_left, ip);
	if (v == 6)
		return ip6_decode(c, wire_left, ip);
	return fail(&ip->err, &ip->err_off, NET_MALFORMED, "IP version is neither 4 nor 6", start);
}

enum net_status
net_udp_decode(struct cur *c, struct net_udp *u)
{
	/* RFC 768 */
	u->sport = cur_be16(c);
	u->dport = cur_be16(c);
	u->len = cur_be16(c);
	u->sum = cur_be16(c);
	if (!cur_ok(c))
		return NET_SHORT;
	return u->len < 8 ? NET_MALFORMED : NET_OK;
}

static bool
icmp_quotes(bool v6, uint8_t type)
{
	if (v6) /* RFC 4443 3.1 - 3.4 */
		return type >= 1 && type <= 4;
	/* RFC 792: destination unreachable, time exceeded, parameter problem */
	return type == 3 || type == 11 || type == 12;
}

enum net_status
net_icmp_decode(struct cur *c, bool v6, struct net_icmp *m)
{
	memset(m, 0, sizeof *m);
	m->quote = empty_cur();
	size_t start = cur_off(c);
	m->type = cur_u8(c);
	m->code = cur_u8(c);
	cur_skip(c, 2); /* checksum, not checked */
	m->rest = cur_be32(c);
	if (!cur_ok(c))
		return fail(&m->err, &m->err_off, NET_SHORT, "ICMP header cut short", start);
	m->error = icmp_quotes(v6, m->type);
	if (!m->error)
		return NET_OK;

	/* The invoking packet: at least its IP header and 64 bits of data (RFC
	 * 792), usually as much as fits in 576 bytes (RFC 1812 4.3.2.3) or, for
	 * ICMPv6, in the minimum MTU (RFC 4443 2.4 (c)).  A short quote is normal. */
	struct net_ip *in = &m->inner;
	if (net_ip_decode(c, SIZE_MAX, in) != NET_OK || in->version != (v6 ? 6 : 4))
		return NET_OK;
	m->quote_ip = true;
	if (in->frag && in->frag_off != 0)
		return NET_OK; /* a later fragment: no transport header */
	struct cur pl = in->payload;
	uint8_t proto = in->proto;
	if (v6 && in->frag) {
		/* the first fragment: the fragmentable part starts after the
		 * fragment header and may hold more extension headers */
		struct net_ip6_ext w;
		if (net_ip6_walk(&pl, in->frag_nh, &w) != NET_OK || w.frag)
			return NET_OK;
		proto = w.proto;
	}
	if (proto != NET_PROTO_UDP)
		return NET_OK;
	m->udp.sport = cur_be16(&pl);
	m->udp.dport = cur_be16(&pl);
	if (!cur_ok(&pl))
		return NET_OK;
	m->quote_udp = true;
	uint16_t ulen = cur_be16(&pl);
	uint16_t sum = cur_be16(&pl);
	if (!cur_ok(&pl))
		return NET_OK;
	m->udp.len = ulen;
	m->udp.sum = sum;
	size_t n = cur_left(&pl);
	if (ulen >= 8 && (size_t)ulen - 8 < n)
		n = (size_t)ulen - 8;
	m->quote = cur_sub(&pl, n);
	return NET_OK;
}
