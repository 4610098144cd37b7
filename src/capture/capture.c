/*
 * capture.c - inputs: pcap/pcapng files (plain or gzip-compressed, "-" for
 * stdin) and live interfaces through libpcap; the read loops, stats and the
 * -w dumper.  What a frame is gets decided in frame.c.
 */
#include "src/capture/cap_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_REASM_BYTES ((size_t)4 << 20)
#define DEFAULT_REASM_DGRAMS 256u
#define DEFAULT_REASM_TIMEOUT 30u
#define DEFAULT_SNAPLEN 262144
#define DISPATCH_BATCH 1024u /* frames per cap_dispatch call */

#define SUPPORTED_LIST "EN10MB, LINUX_SLL, LINUX_SLL2, RAW, NULL, LOOP, IPV4, IPV6"

bool
cap_link_for_dlt(int dlt, enum net_link *link)
{
	/* The platform's own values first: on OpenBSD DLT_LOOP is 12, which is
	 * DLT_RAW elsewhere. */
#ifdef DLT_LOOP
	if (dlt == DLT_LOOP) {
		*link = NET_LINK_LOOP;
		return true;
	}
#endif
#ifdef DLT_RAW
	if (dlt == DLT_RAW) {
		*link = NET_LINK_RAW;
		return true;
	}
#endif
	switch (dlt) {
	case 0: /* DLT_NULL */
		*link = NET_LINK_NULL;
		return true;
	case 1: /* DLT_EN10MB */
		*link = NET_LINK_ETHER;
		return true;
	case 113: /* DLT_LINUX_SLL */
		*link = NET_LINK_SLL;
		return true;
	case 276: /* DLT_LINUX_SLL2 */
		*link = NET_LINK_SLL2;
		return true;
	case 12:  /* DLT_RAW on most systems */
	case 14:  /* DLT_RAW on OpenBSD */
	case 101: /* LINKTYPE_RAW as written in files */
	case 228: /* DLT_IPV4 */
	case 229: /* DLT_IPV6 */
		*link = NET_LINK_RAW;
		return true;
	case 108: /* LINKTYPE_LOOP */
		*link = NET_LINK_LOOP;
		return true;
	default:
		return false;
	}
}

static void seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	if (err == NULL || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* libpcap's name, or ours for the values it leaves unnamed (1.10 has none
 * for the private-use DLT_USER0..15, 147..162). */
static const char *
dlt_name(int dlt)
{
	static const char *const user[16] = {
	    "USER0", "USER1", "USER2",	"USER3",  "USER4",  "USER5",  "USER6",	"USER7",
	    "USER8", "USER9", "USER10", "USER11", "USER12", "USER13", "USER14", "USER15"};
	const char *n = pcap_datalink_val_to_name(dlt);
	if (n != NULL)
		return n;
	if (dlt >= 147 && dlt <= 162)
		return user[dlt - 147];
	return "unknown";
}

static struct cap *
cap_new(const char *name, unsigned file, const struct cap_limits *lim, char *err, size_t errlen)
{
	struct cap *c = calloc(1, sizeof *c);
	if (c != NULL)
		c->name = strdup(name);
	struct reasm_limits rl = {DEFAULT_REASM_BYTES, DEFAULT_REASM_DGRAMS, DEFAULT_REASM_TIMEOUT};
	if (lim != NULL) {
		if (lim->reasm_max_bytes)
			rl.max_bytes = lim->reasm_max_bytes;
		if (lim->reasm_max_dgrams)
			rl.max_dgrams = lim->reasm_max_dgrams;
		if (lim->reasm_timeout_s)
			rl.timeout_s = lim->reasm_timeout_s;
	}
	if (c != NULL && c->name != NULL)
		c->ra = reasm_new(&rl, cap_on_reasm_gone, c);
	if (c == NULL || c->name == NULL || c->ra == NULL) {
		seterr(err, errlen, "%s: out of memory", name);
		if (c != NULL)
			free(c->name);
		free(c);
		return NULL;
	}
	c->file = file;
	c->gz.errfd = -1;
	return c;
}

/* The link type is one we decode, or the one-line refusal. */
static bool
check_link(struct cap *c, char *err, size_t errlen)
{
	c->dlt = pcap_datalink(c->pcap);
	if (cap_link_for_dlt(c->dlt, &c->link)) {
		c->link_ok = true;
		return true;
	}
	seterr(err, errlen, "%s: link type %d (%s) is not supported; supported: " SUPPORTED_LIST,
	       c->name, c->dlt, dlt_name(c->dlt));
	return false;
}

struct cap *
cap_open_file(const char *path, unsigned file_index, const struct cap_limits *lim, char *err,
	      size_t errlen)
{
	bool is_stdin = strcmp(path, "-") == 0;
	struct cap *c = cap_new(is_stdin ? "stdin" : path, file_index, lim, err, errlen);
	if (c == NULL)
		return NULL;
	FILE *in = is_stdin ? stdin : fopen(path, "rb");
	if (in == NULL) {
		seterr(err, errlen, "%s: cannot open: %s", c->name, strerror(errno));
		cap_close(c);
		return NULL;
	}

	/* Peek at the magic number: pcap and pcapng never start with 0x1f, gzip
	 * always starts with 1f 8b (RFC 1952 2.3.1).  On a pipe only one byte can
	 * be pushed back, and one is enough to tell them apart. */
	bool gz = false;
	off_t start = ftello(in);
	int b0 = getc(in);
	if (b0 == EOF) {
		if (ferror(in))
			seterr(err, errlen, "%s: cannot read: %s", c->name, strerror(errno));
		else
			seterr(err, errlen, "%s: empty file, not a capture", c->name);
		if (!is_stdin)
			fclose(in);
		cap_close(c);
		return NULL;
	}
	if (start >= 0 && b0 == 0x1f) {
		gz = getc(in) == 0x8b;
		if (fseeko(in, start, SEEK_SET) != 0) {
			seterr(err, errlen, "%s: cannot rewind: %s", c->name, strerror(errno));
			if (!is_stdin)
				fclose(in);
			cap_close(c);
			return NULL;
		}
	} else {
		gz = b0 == 0x1f;
		ungetc(b0, in);
	}

	FILE *src = in;
	if (gz) {
		src = gz_open(in, c->name, &c->gz, err, errlen);
		if (!is_stdin)
			fclose(in);
		if (src == NULL) {
			cap_close(c);
			return NULL;
		}
		c->gzipped = true;
	}

	char ebuf[PCAP_ERRBUF_SIZE] = "";
	c->pcap = pcap_fopen_offline_with_tstamp_precision(src, PCAP_TSTAMP_PRECISION_MICRO, ebuf);
	if (c->pcap == NULL) {
		/* libpcap leaves the stream to us on failure */
		if (gz) {
			if (gz_finish(&c->gz, c->name, err, errlen) == 0)
				seterr(err, errlen, "%s: after decompression: %s", c->name, ebuf);
			fclose(src);
		} else {
			seterr(err, errlen, "%s: %s", c->name, ebuf);
			if (!is_stdin)
				fclose(src);
		}
		cap_close(c);
		return NULL;
	}
	if (!check_link(c, err, errlen)) {
		cap_close(c);
		return NULL;
	}
	return c;
}

struct cap *
cap_open_null(int linktype, unsigned file_index, const struct cap_limits *lim, char *err,
	      size_t errlen)
{
	struct cap *c = cap_new("frames", file_index, lim, err, errlen);
	if (c == NULL)
		return NULL;
	c->dlt = linktype;
	c->link_ok = cap_link_for_dlt(linktype, &c->link);
	/* a dead handle, so that -w works on fed frames too */
	c->pcap = pcap_open_dead_with_tstamp_precision(linktype, DEFAULT_SNAPLEN,
						       PCAP_TSTAMP_PRECISION_MICRO);
	return c;
}

size_t
cap_filter_expr(int dlt, const char *user, char *out, size_t len)
{
	char base[2048];
	if (user != NULL && *user != '\0')
		snprintf(base, sizeof base, "(%s) and (%s)", CAP_DEFAULT_FILTER, user);
	else
		snprintf(base, sizeof base, "%s", CAP_DEFAULT_FILTER);
	/* On Ethernet, the whole filter once more behind a VLAN tag.  libpcap's
	 * "vlan" shifts every offset after it, so nothing may follow that branch
	 * (tcpdump's "port 80 or (vlan and port 80)" idiom). */
	int n;
	if (dlt == 1)
		n = snprintf(out, len, "(%s) or (vlan and (%s))", base, base);
	else
		n = snprintf(out, len, "%s", base);
	return n < 0 ? 0 : (size_t)n;
}

static bool
set_filter(struct cap *c, const char *user, char *err, size_t errlen)
{
	size_t n = cap_filter_expr(c->dlt, user, NULL, 0) + 1;
	char *expr = malloc(n);
	if (expr == NULL) {
		seterr(err, errlen, "%s: out of memory", c->name);
		return false;
	}
	cap_filter_expr(c->dlt, user, expr, n);
	struct bpf_program prog;
	bool ok = pcap_compile(c->pcap, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) == 0;
	if (!ok) {
		seterr(err, errlen, "%s: filter \"%s\": %s", c->name, user ? user : expr,
		       pcap_geterr(c->pcap));
	} else {
		ok = pcap_setfilter(c->pcap, &prog) == 0;
		if (!ok)
			seterr(err, errlen, "%s: cannot set the filter: %s", c->name,
			       pcap_geterr(c->pcap));
		pcap_freecode(&prog);
	}
	free(expr);
	return ok;
}

struct cap *
cap_open_live(const char *iface, const char *bpf, int snaplen, const struct cap_limits *lim,
	      char *err, size_t errlen)
{
	struct cap *c = cap_new(iface, 0, lim, err, errlen);
	if (c == NULL)
		return NULL;
	c->live = true;
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	c->pcap = pcap_create(iface, ebuf);
	if (c->pcap == NULL) {
		seterr(err, errlen, "%s: %s", iface, ebuf);
		cap_close(c);
		return NULL;
	}
	pcap_set_snaplen(c->pcap, snaplen > 0 ? snaplen : DEFAULT_SNAPLEN);
	pcap_set_promisc(c->pcap, 1);
	pcap_set_immediate_mode(c->pcap, 1); /* IKE is a trickle: no buffering delay */
	pcap_set_timeout(c->pcap, 250);
	pcap_set_tstamp_precision(c->pcap, PCAP_TSTAMP_PRECISION_MICRO);
	int rc = pcap_activate(c->pcap);
	if (rc < 0) {
		const char *why = pcap_geterr(c->pcap);
		switch (rc) {
		case PCAP_ERROR_NO_SUCH_DEVICE:
			seterr(err, errlen, "%s: no such interface (%s); list them with ip link",
			       iface, why);
			break;
		case PCAP_ERROR_PERM_DENIED:
		case PCAP_ERROR_PROMISC_PERM_DENIED:
			seterr(err, errlen,
			       "%s: permission denied (%s); capturing needs root or the "
			       "CAP_NET_RAW and CAP_NET_ADMIN capabilities",
			       iface, why);
			break;
		case PCAP_ERROR_IFACE_NOT_UP:
			seterr(err, errlen, "%s: the interface is down", iface);
			break;
		default:
			seterr(err, errlen, "%s: cannot capture: %s", iface,
			       why && *why ? why : pcap_statustostr(rc));
			break;
		}
		cap_close(c);
		return NULL;
	}
	if (!check_link(c, err, errlen) || !set_filter(c, bpf, err, errlen)) {
		cap_close(c);
		return NULL;
	}
	return c;
}

void
cap_finish(struct cap *c)
{
	if (c->ended)
		return;
	c->ended = true;
	reasm_flush(c->ra);
	if (c->h != NULL && c->h->input_end != NULL)
		c->h->input_end(c->h->ctx, c->file);
}

static bool
set_blocking(struct cap *c, bool nonblock, char *err, size_t errlen)
{
	if (!c->live || c->nonblock == nonblock)
		return true;
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	if (pcap_setnonblock(c->pcap, nonblock ? 1 : 0, ebuf) != 0) {
		seterr(err, errlen, "%s: %s", c->name, ebuf);
		return false;
	}
	c->nonblock = nonblock;
	return true;
}

/*
 * One frame from libpcap.  1 a frame was processed, 0 none ready (live), 2
 * the end of a file, -1 error, -2 interrupted.
 */
static int
next_frame(struct cap *c, char *err, size_t errlen)
{
	struct pcap_pkthdr *ph;
	const u_char *bytes;
	int r = pcap_next_ex(c->pcap, &ph, &bytes);
	if (r == 1) {
		cap_process(c, ph, bytes);
		return 1;
	}
	if (r == 0)
		return 0;
	if (r == PCAP_ERROR_BREAK)
		return c->live ? -2 : 2; /* a savefile says "no more packets" this way */
	char msg[PCAP_ERRBUF_SIZE + 64];
	snprintf(msg, sizeof msg, "%s: after frame %llu: %s", c->name, (unsigned long long)c->num,
		 pcap_geterr(c->pcap));
	seterr(err, errlen, "%s", msg);
	if (c->gzipped)
		gz_finish(&c->gz, c->name, err, errlen); /* gzip's complaint explains libpcap's */
	return -1;
}

/* The end of a file: did the decompressor succeed too? */
static int
end_of_file(struct cap *c, char *err, size_t errlen)
{
	int rc = 0;
	if (c->gzipped && gz_finish(&c->gz, c->name, err, errlen) != 0)
		rc = -1;
	cap_finish(c);
	return rc;
}

int
cap_loop(struct cap *c, const struct cap_handler *h, uint64_t max_frames, char *err, size_t errlen)
{
	if (c->ended || c->pcap == NULL)
		return 0;
	c->h = h;
	if (!set_blocking(c, false, err, errlen))
		return -1;
	for (uint64_t n = 0;;) {
		if (c->brk) {
			c->brk = 0;
			return 1;
		}
		if (max_frames != 0 && n >= max_frames) {
			cap_finish(c);
			return 0;
		}
		int r = next_frame(c, err, errlen);
		if (r == 1) {
			n++;
		} else if (r == 2) {
			return end_of_file(c, err, errlen);
		} else if (r == -2) {
			c->brk = 0;
			return 1;
		} else if (r < 0) {
			cap_finish(c);
			return -1;
		}
	}
}

int
cap_dispatch(struct cap *c, const struct cap_handler *h, char *err, size_t errlen)
{
	if (c->ended || c->pcap == NULL)
		return 0;
	c->h = h;
	if (!set_blocking(c, true, err, errlen))
		return -1;
	int n = 0;
	while ((unsigned)n < DISPATCH_BATCH && !c->brk) {
		int r = next_frame(c, err, errlen);
		if (r == 1) {
			n++;
			continue;
		}
		if (r == 2)
			return end_of_file(c, err, errlen) < 0 ? -1 : n;
		if (r == -1) {
			cap_finish(c);
			return -1;
		}
		break; /* nothing ready, or interrupted */
	}
	c->brk = 0;
	return n;
}

void
cap_break(struct cap *c)
{
	c->brk = 1;
	if (c->live && c->pcap != NULL)
		pcap_breakloop(c->pcap);
}

int
cap_fd(struct cap *c)
{
	if (!c->live || c->pcap == NULL)
		return -1;
	return pcap_get_selectable_fd(c->pcap);
}

void
cap_stats(const struct cap *c, struct cap_stats *st)
{
	*st = c->st;
	struct pcap_stat ps;
	if (c->live && c->pcap != NULL && pcap_stats(c->pcap, &ps) == 0) {
		st->ps_drop = ps.ps_drop;
		st->ps_ifdrop = ps.ps_ifdrop;
	}
}

int
cap_linktype(const struct cap *c)
{
	return c->dlt;
}

const char *
cap_linktype_name(const struct cap *c)
{
	return dlt_name(c->dlt);
}

int
cap_dump_open(struct cap *c, const char *path, char *err, size_t errlen)
{
	if (c->pcap == NULL) {
		seterr(err, errlen, "%s: cannot write frames of this input", path);
		return -1;
	}
	if (c->dumper != NULL)
		pcap_dump_close(c->dumper);
	c->dumper = pcap_dump_open(c->pcap, path);
	if (c->dumper == NULL) {
		seterr(err, errlen, "%s: %s", path, pcap_geterr(c->pcap));
		return -1;
	}
	return 0;
}

void
cap_dump_current(struct cap *c)
{
	if (c->dumper != NULL && c->cur_hdr != NULL && !c->dumped) {
		pcap_dump((u_char *)c->dumper, c->cur_hdr, c->cur_data);
		c->dumped = true;
	}
}

void
cap_feed_frame(struct cap *c, const struct cap_handler *h, int64_t ts_sec, uint32_t ts_usec,
	       const uint8_t *data, uint32_t caplen, uint32_t wirelen)
{
	if (c->ended)
		return;
	static const uint8_t none[1];
	if (data == NULL) {
		data = none;
		caplen = 0;
	}
	struct pcap_pkthdr ph;
	memset(&ph, 0, sizeof ph);
	ph.ts.tv_sec = (time_t)ts_sec;
	ph.ts.tv_usec = (suseconds_t)ts_usec;
	ph.caplen = caplen;
	ph.len = wirelen;
	c->h = h;
	cap_process(c, &ph, data);
}

void
cap_feed_end(struct cap *c, const struct cap_handler *h)
{
	c->h = h;
	cap_finish(c);
}

void
cap_close(struct cap *c)
{
	if (c == NULL)
		return;
	if (c->dumper != NULL) {
		pcap_dump_flush(c->dumper);
		pcap_dump_close(c->dumper);
	}
	if (c->pcap != NULL)
		pcap_close(c->pcap); /* closes the decompressor's pipe, never stdin */
	gz_close(&c->gz);
	reasm_free(c->ra);
	free(c->name);
	free(c);
}
