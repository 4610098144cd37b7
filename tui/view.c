/*
 * view.c - drawing the screen from the model and the screen's state.
 *
 * Wide terminals (140 columns or more) get the tunnel list on the left and
 * the ladder on the right; narrower ones stack them, so that a tunnel's line
 * and a ladder row each keep a whole line at 80x24.  The finding and its fix
 * take the bottom.  Everything is redrawn from scratch each time and curses
 * sends only what changed, which keeps a live screen cheap over SSH.
 *
 * Every string goes through put(), which counts columns (UTF-8 aware),
 * clips with an ellipsis and shows control characters as '?'.
 */
#include <curses.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "src/diag/diag.h"
#include "tui/tui_int.h"

enum { CP_ERR = 1, CP_WARN, CP_GOOD, CP_BAR, CP_HEAD };

/* From this width on the list and the ladder sit side by side: below it
 * neither a tunnel's line (peers, status, stall, cause) nor a ladder row
 * (frame, time, message, payloads, two states) fits in half the width. */
#define WIDE_COLS 140

void
tv_view_init(bool color)
{
	if (!color)
		return;
	start_color();
	use_default_colors();
	init_pair(CP_ERR, COLOR_RED, -1);
	init_pair(CP_WARN, COLOR_YELLOW, -1);
	init_pair(CP_GOOD, COLOR_GREEN, -1);
	init_pair(CP_BAR, COLOR_BLACK, COLOR_CYAN);
	init_pair(CP_HEAD, COLOR_CYAN, -1);
}

static attr_t
sev_attr(const struct tv_ui *u, enum tv_sev s)
{
	switch (s) {
	case TV_ERR:
		return (u->color ? COLOR_PAIR(CP_ERR) : 0) | A_BOLD;
	case TV_WARN:
		return u->color ? COLOR_PAIR(CP_WARN) : 0;
	case TV_GOOD:
		return u->color ? COLOR_PAIR(CP_GOOD) : 0;
	default:
		return A_NORMAL;
	}
}

static attr_t
bar_attr(const struct tv_ui *u)
{
	return u->color ? COLOR_PAIR(CP_BAR) : A_REVERSE;
}

static attr_t
head_attr(const struct tv_ui *u)
{
	return u->color ? COLOR_PAIR(CP_HEAD) : A_UNDERLINE;
}

static const char *
sev_mark(const struct tv_ui *u, enum tv_sev s)
{
	switch (s) {
	case TV_ERR:
		return u->utf8 ? "\u2717" : "x";
	case TV_WARN:
		return "!";
	case TV_GOOD:
		return u->utf8 ? "\u2713" : "+";
	default:
		return u->utf8 ? "\u00b7" : "-";
	}
}

/* ---- text in columns ---- */

/* One character: the bytes to print (a '?' for what a terminal must not
 * get, or for bytes that are not text in this locale) and its columns. */
static size_t
next_char(const char *s, mbstate_t *st, const char **bytes, int *cols)
{
	wchar_t wc;
	size_t k = mbrtowc(&wc, s, MB_LEN_MAX, st);
	if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
		memset(st, 0, sizeof *st);
		*bytes = "?";
		*cols = 1;
		return 1;
	}
	int cw = wcwidth(wc);
	if (cw < 0 || wc < 0x20 || wc == 0x7f || (wc >= 0x80 && wc < 0xa0)) {
		*bytes = "?";
		*cols = 1;
		return k;
	}
	*bytes = s;
	*cols = cw;
	return k;
}

static int
text_width(const char *s)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	int w = 0;
	while (*s) {
		const char *b;
		int c;
		s += next_char(s, &st, &b, &c);
		w += c;
	}
	return w;
}

/*
 * Print s at (y, x) in at most w columns, skipping its first `skip`
 * columns; a cut is marked with an ellipsis.  Returns the columns used.
 */
static int
put_skip(const struct tv_ui *u, int y, int x, int w, const char *s, attr_t a, int skip)
{
	if (!s || w <= 0 || y < 0 || y >= LINES || x < 0 || x >= COLS)
		return 0;
	if (x + w > COLS)
		w = COLS - x;
	bool cut = text_width(s) - skip > w;
	int room = cut ? w - 1 : w;
	mbstate_t st;
	memset(&st, 0, sizeof st);
	attrset(a);
	move(y, x);
	int used = 0, col = 0;
	while (*s) {
		const char *b;
		int c;
		size_t k = next_char(s, &st, &b, &c);
		if (col >= skip) {
			if (used + c > room)
				break;
			addnstr(b, b == s ? (int)k : 1);
			used += c;
		}
		col += c;
		s += k;
	}
	if (cut && used < w) {
		addstr(u->utf8 ? "\u2026" : "~");
		used++;
	}
	return used;
}

static int
put(const struct tv_ui *u, int y, int x, int w, const char *s, attr_t a)
{
	return put_skip(u, y, x, w, s, a, 0);
}

static void
fill(int y, int x, int w, attr_t a)
{
	if (y < 0 || y >= LINES || w <= 0)
		return;
	attrset(a);
	move(y, x);
	for (int i = 0; i < w && x + i < COLS; i++)
		addch(' ');
}

/* Pad a string to w columns (for aligned columns of UTF-8 text). */
static void
pad_to(char *dst, size_t len, const char *s, int w)
{
	int tw = text_width(s);
	tv_fmt(dst, len, "%s%*s", s, tw < w ? w - tw : 0, "");
}

/* A pane's top rule with its title, and on the right where the view is in
 * a longer text ("3-11 of 16"), when it does not all fit. */
static void
pane_title(const struct tv_ui *u, int y, int x, int w, const char *title, bool focused, int first,
	   int shown, int total)
{
	const char *h = u->utf8 ? "\u2500" : "-";
	attrset(A_NORMAL);
	move(y, x);
	for (int i = 0; i < w && x + i < COLS; i++)
		addstr(h);
	char t[200], r[64] = "";
	if (total > shown && shown > 0) {
		int last = first + shown < total ? first + shown : total;
		tv_fmt(r, sizeof r, " %d%s%d of %d%s ", first + 1, u->utf8 ? "\u2013" : "-", last,
		       total, last < total ? (u->utf8 ? " \u2193" : " v") : "");
	}
	int rw = text_width(r);
	tv_fmt(t, sizeof t, " %s ", title);
	put(u, y, x + 1, w - 2 - (rw ? rw + 1 : 0), t, focused ? (A_BOLD | A_REVERSE) : A_BOLD);
	if (rw && rw + 2 < w)
		put(u, y, x + w - rw - 1, rw, r, A_BOLD);
}

/* ---- lines built for a pane, then shown through a window of rows ---- */

struct line {
	char *s;
	attr_t a;
	int row; /* ladder row index, or -1 */
};

struct lines {
	struct line *v;
	int n, cap;
};

static void add_line(struct lines *L, attr_t a, int row, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
add_line(struct lines *L, attr_t a, int row, const char *fmt, ...)
{
	if (L->n == L->cap) {
		int nc = L->cap ? L->cap * 2 : 32;
		struct line *nv = realloc(L->v, (size_t)nc * sizeof *nv);
		if (!nv)
			return;
		L->v = nv;
		L->cap = nc;
	}
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *s = r >= 0 ? malloc((size_t)r + 1) : NULL;
	if (!s)
		return;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)r + 1, fmt, ap);
	va_end(ap);
	L->v[L->n].s = s;
	L->v[L->n].a = a;
	L->v[L->n].row = row;
	L->n++;
}

static void
free_lines(struct lines *L)
{
	for (int i = 0; i < L->n; i++)
		free(L->v[i].s);
	free(L->v);
	memset(L, 0, sizeof *L);
}

/* Word-wrap text into lines of w columns: the first after `first`, the
 * others after `rest` (both plain ASCII indents). */
static void
wrap(struct lines *L, int w, attr_t a, const char *first, const char *rest, const char *text)
{
	const char *pre = first;
	const char *p = text;
	int avail = w - (int)strlen(pre);
	if (avail < 10)
		avail = 10;
	while (*p) {
		/* take words while they fit */
		const char *end = p, *brk = NULL;
		int cols = 0;
		mbstate_t st;
		memset(&st, 0, sizeof st);
		while (*end) {
			const char *b;
			int c;
			size_t k = next_char(end, &st, &b, &c);
			if (*end == ' ')
				brk = end;
			if (cols + c > avail)
				break;
			cols += c;
			end += k;
		}
		const char *stop = end;
		if (*end && brk && brk > p)
			stop = brk;
		add_line(L, a, -1, "%s%.*s", pre, (int)(stop - p), p);
		p = stop;
		while (*p == ' ')
			p++;
		pre = rest;
		avail = w - (int)strlen(pre);
		if (avail < 10)
			avail = 10;
	}
	if (!*text)
		add_line(L, a, -1, "%s", pre);
}

/* ---- the list ---- */

static void
list_push(struct tv_ui *u, struct tv_tunnel *t, unsigned fd)
{
	if (u->nlist == u->list_cap) {
		unsigned nc = u->list_cap ? u->list_cap * 2 : 64;
		struct tv_entry *nl = realloc(u->list, nc * sizeof *nl);
		if (!nl)
			return;
		u->list = nl;
		u->list_cap = nc;
	}
	u->list[u->nlist].t = t;
	u->list[u->nlist].fd = fd;
	u->nlist++;
}

static enum tv_sev
entry_sev(const struct tv_ui *u, const struct tv_entry *e, const struct finding **top)
{
	if (e->t)
		return tv_tunnel_sev(u->m, e->t, top);
	const struct finding *fd = u->m->dg ? diag_get(u->m->dg, e->fd) : NULL;
	if (top)
		*top = fd;
	return fd ? tv_finding_sev(fd) : TV_NEUTRAL;
}

int
tv_list_index(const struct tv_ui *u)
{
	for (unsigned i = 0; i < u->nlist; i++) {
		const struct tv_entry *e = &u->list[i];
		if (e->t ? (u->sel_id && e->t->id == u->sel_id) : (u->sel_fd && e->fd == u->sel_fd))
			return (int)i;
	}
	return -1;
}

const struct tv_entry *
tv_selected(const struct tv_ui *u)
{
	int i = tv_list_index(u);
	return i >= 0 ? &u->list[i] : NULL;
}

static void
select_entry(struct tv_ui *u, const struct tv_entry *e)
{
	bool same = e->t ? u->sel_id == e->t->id : u->sel_fd == e->fd;
	u->sel_id = e->t ? e->t->id : 0;
	u->sel_fd = e->t ? 0 : e->fd;
	if (!same) {
		u->lad_sel = u->lad_top = u->find_top = 0;
		u->pk_sel = u->pk_top = u->tree_top = u->tree_left = 0;
	}
}

void
tv_select_index(struct tv_ui *u, int i)
{
	if (u->nlist == 0)
		return;
	if (i < 0)
		i = 0;
	if (i >= (int)u->nlist)
		i = (int)u->nlist - 1;
	select_entry(u, &u->list[i]);
}

void
tv_build_list(struct tv_ui *u)
{
	struct tv_model *m = u->m;
	u->nlist = 0;
	for (unsigned i = 0; i < m->ntun; i++) {
		struct tv_tunnel *t = m->tun[i];
		if (!t->snapped)
			continue;
		if (u->failed_only && tv_tunnel_sev(m, t, NULL) != TV_ERR)
			continue;
		if (!tv_tunnel_matches(m, t, u->filter))
			continue;
		list_push(u, t, 0);
	}
	for (unsigned i = 0; i < m->ngen; i++) {
		const struct finding *fd = m->dg ? diag_get(m->dg, m->gen[i]) : NULL;
		if (!fd)
			continue;
		if (u->failed_only && tv_finding_sev(fd) != TV_ERR)
			continue;
		if (!tv_text_matches(fd->cause, u->filter))
			continue;
		list_push(u, NULL, fd->id);
	}
	/* keep a selection; until the user picks, show the first failure */
	int cur = tv_list_index(u);
	if (u->nlist == 0)
		return;
	if (!u->moved) {
		const struct tv_entry *cur_e = cur >= 0 ? &u->list[cur] : NULL;
		if (!cur_e || entry_sev(u, cur_e, NULL) != TV_ERR)
			for (unsigned i = 0; i < u->nlist; i++)
				if (entry_sev(u, &u->list[i], NULL) == TV_ERR) {
					select_entry(u, &u->list[i]);
					return;
				}
	}
	if (cur < 0)
		select_entry(u, &u->list[0]);
}

static const char *
status_word(enum tk_status s)
{
	switch (s) {
	case TS_ESTABLISHED:
		return "ESTABLISHED";
	case TS_FAILED:
		return "FAILED";
	case TS_STALLED:
		return "STALLED";
	case TS_DELETED:
		return "DELETED";
	case TS_REKEYED:
		return "REKEYED";
	case TS_ESTABLISHED_BEFORE:
		return "UP (before)";
	case TS_REJECTED:
		return "REJECTED";
	default:
		return "IN PROGRESS";
	}
}

static void
peers_text(const struct tv_ui *u, const struct tv_tunnel *t, char *buf, size_t len)
{
	const char *arrow =
	    t->role_known ? (u->utf8 ? "\u2192" : "->") : (u->utf8 ? "\u2194" : "<>");
	tv_fmt(buf, len, "%s %s %s", t->addr[0], arrow, t->addr[1]);
}

/* Where it stands: both sides' states while it is not up, else the state it reached. */
static void
stall_text(const struct tv_tunnel *t, char *buf, size_t len)
{
	buf[0] = '\0';
	if (t->status == TS_FAILED || t->status == TS_STALLED || t->status == TS_IN_PROGRESS) {
		snprintf(buf, len, "%s/%s", t->st[0][0] ? t->st[0] : "-",
			 t->st[1][0] ? t->st[1] : "-");
		return;
	}
	for (unsigned i = 0; i < t->np2 && i < TK_MAX_P2; i++)
		if (tv_status_fails(t->p2[i].status)) {
			snprintf(buf, len, "%s %s", t->version == 2 ? "CHILD" : "QM",
				 t->p2[i].state[0] ? t->p2[i].state
						   : tk_status_name(t->p2[i].status));
			return;
		}
	snprintf(buf, len, "%s", t->st[0][0] ? t->st[0] : t->st[1]);
}

struct cols {
	int peers, status, stall;
	bool show_stall;
};

static void
entry_texts(const struct tv_ui *u, const struct tv_entry *e, char *peers, char *status, char *stall,
	    size_t len)
{
	if (e->t) {
		peers_text(u, e->t, peers, len);
		snprintf(status, len, "%s", status_word(e->t->status));
		stall_text(e->t, stall, len);
		return;
	}
	const struct finding *fd = u->m->dg ? diag_get(u->m->dg, e->fd) : NULL;
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	if (fd && fd->has_esp)
		snprintf(peers, len, "ESP spi %08x %s %s", fd->esp_spi, u->utf8 ? "\u2192" : "->",
			 addr_str(&fd->esp_dst, a, sizeof a));
	else if (fd && fd->peer)
		snprintf(peers, len, "%s %s %s", addr_str(&fd->peer->a, a, sizeof a),
			 u->utf8 ? "\u2194" : "<>", addr_str(&fd->peer->b, b, sizeof b));
	else
		snprintf(peers, len, "(no IKE SA)");
	snprintf(status, len, "-");
	stall[0] = '\0';
}

static void
list_cols(const struct tv_ui *u, int w, struct cols *c)
{
	memset(c, 0, sizeof *c);
	for (unsigned i = 0; i < u->nlist; i++) {
		char p[128], s[32], st[64];
		entry_texts(u, &u->list[i], p, s, st, sizeof st);
		int pw = text_width(p), sw = text_width(s), tw = text_width(st);
		c->peers = pw > c->peers ? pw : c->peers;
		c->status = sw > c->status ? sw : c->status;
		c->stall = tw > c->stall ? tw : c->stall;
	}
	if (c->peers > 48)
		c->peers = 48;
	if (c->stall > 32)
		c->stall = 32;
	/* mark, version, peers, status, [stall,] cause: the cause keeps up to
	 * 12 columns before the stall column gets any, then the peers give way */
	int cause = 0;
	for (unsigned i = 0; i < u->nlist; i++) {
		const struct finding *top = NULL;
		entry_sev(u, &u->list[i], &top);
		int cw = top ? text_width(top->cause) : 0;
		cause = cw > cause ? cw : cause;
	}
	if (cause > 12)
		cause = 12;
	int fixed = 2 + 3 + c->peers + 2 + c->status + 2;
	int room = w - fixed - cause - 2;
	if (room < c->stall)
		c->stall = room; /* long states are clipped, one by one */
	c->show_stall = c->stall >= 12;
	if (!c->show_stall && fixed + cause > w) {
		c->peers -= fixed + cause - w;
		if (c->peers < 12)
			c->peers = 12;
	}
}

static void
draw_entry(const struct tv_ui *u, int y, int x, int w, const struct tv_entry *e,
	   const struct cols *c, bool selected)
{
	const struct finding *top = NULL;
	enum tv_sev sev = entry_sev(u, e, &top);
	attr_t base = selected ? A_REVERSE : A_NORMAL;
	attr_t sa = sev_attr(u, sev) | (selected ? A_REVERSE : 0);
	char peers[128], status[32], stall[64], ver[8];
	entry_texts(u, e, peers, status, stall, sizeof stall);
	snprintf(ver, sizeof ver, "%s", e->t ? (e->t->version == 2 ? "v2" : "v1") : "--");
	fill(y, x, w, base);
	int cx = x, end = x + w;
	cx += put(u, y, cx, end - cx, sev_mark(u, sev), sa) + 1;
	cx += put(u, y, cx, end - cx, ver, base) + 1;
	put(u, y, cx, c->peers < end - cx ? c->peers : end - cx, peers, base);
	cx += c->peers + 2;
	put(u, y, cx, end - cx, status, sa);
	cx += c->status + 2;
	if (c->show_stall) {
		put(u, y, cx, c->stall < end - cx ? c->stall : end - cx, stall, base);
		cx += c->stall + 2;
	}
	if (top && cx < end) {
		put(u, y, cx, end - cx, top->cause,
		    sev_attr(u, tv_finding_sev(top)) | (selected ? A_REVERSE : 0));
	}
}

static void
draw_list(struct tv_ui *u, int y, int x, int w, int h)
{
	char title[96];
	int idx = tv_list_index(u);
	if (u->nlist)
		snprintf(title, sizeof title, "Tunnels %d/%u", idx + 1, u->nlist);
	else
		snprintf(title, sizeof title, "Tunnels");
	u->list_h = h;
	if (h <= 0 || u->nlist == 0) {
		pane_title(u, y, x, w, title, u->focus == TV_LIST, 0, 0, 0);
		if (h <= 0)
			return;
		const char *why = u->m->ntun || u->m->ngen
				      ? "No tunnel matches (/ to change the filter, f for all)."
				  : u->m->ended ? "No IKE SA in this capture."
						: "Waiting for IKE packets...";
		put(u, y + 1, x + 1, w - 1, why, A_DIM);
		return;
	}
	if (idx < 0)
		idx = 0;
	if (idx < u->list_top)
		u->list_top = idx;
	if (idx >= u->list_top + h)
		u->list_top = idx - h + 1;
	if (u->list_top > (int)u->nlist - h)
		u->list_top = (int)u->nlist - h;
	if (u->list_top < 0)
		u->list_top = 0;
	pane_title(u, y, x, w, title, u->focus == TV_LIST, u->list_top, h, (int)u->nlist);
	struct cols c;
	list_cols(u, w, &c);
	for (int r = 0; r < h && u->list_top + r < (int)u->nlist; r++) {
		int i = u->list_top + r;
		draw_entry(u, y + 1 + r, x, w, &u->list[i], &c, i == idx);
	}
}

/* ---- the ladder ---- */

static void
ladder_lines(const struct tv_ui *u, const struct tv_tunnel *t, struct lines *L, int stw, bool time,
	     int whatw)
{
	const struct tv_model *m = u->m;
	for (unsigned i = 0; i < t->nrows; i++) {
		const struct tv_row *r = &t->rows[i];
		const char *dir = r->from == TK_I   ? (u->utf8 ? "\u2192" : ">")
				  : r->from == TK_R ? (u->utf8 ? "\u2190" : "<")
						    : "?";
		char ntx[16] = "", what[128], s0[48], s1[48], tm[16] = "";
		if (r->ntx > 1)
			snprintf(ntx, sizeof ntx, "%s%u", u->utf8 ? "\u00d7" : "x", r->ntx);
		if (time)
			snprintf(tm, sizeof tm, "%8.3f ", (double)(r->ref.t - m->t0) / 1e6);
		/* clip the payload list to its column, keeping the states aligned */
		char clipped[128];
		size_t k = 0;
		int cols = 0;
		mbstate_t st;
		memset(&st, 0, sizeof st);
		while (r->what[k]) {
			const char *b;
			int c;
			size_t n = next_char(r->what + k, &st, &b, &c);
			if (cols + c > whatw - 1 && text_width(r->what + k) + cols > whatw)
				break;
			cols += c;
			k += n;
		}
		snprintf(clipped, sizeof clipped, "%.*s%s", (int)k, r->what,
			 r->what[k] ? (u->utf8 ? "\u2026" : "~") : "");
		pad_to(what, sizeof what, clipped, whatw);
		pad_to(s0, sizeof s0, r->st[0][0] ? r->st[0] : "-", stw);
		pad_to(s1, sizeof s1, r->st[1][0] ? r->st[1] : "-", stw);
		char d[8];
		pad_to(d, sizeof d, dir, 1);
		char tx[24];
		pad_to(tx, sizeof tx, ntx, 3);
		add_line(L, r->error ? sev_attr(u, TV_ERR) : A_NORMAL, (int)i,
			 "%6llu %s%-6s %s %s %s %s %s", (unsigned long long)r->ref.frame, tm,
			 r->msg, d, tx, what, s0, s1);
	}
	if (t->nmsgs_total > t->nrows)
		add_line(L, A_DIM, -1, "       (%u more messages not kept)",
			 t->nmsgs_total - t->nrows);
	if (t->esp[0] + t->esp[1])
		add_line(L, A_NORMAL, -1, "%6llu ESP: %llu packets %s, %llu %s",
			 (unsigned long long)t->esp_first.frame, (unsigned long long)t->esp[0],
			 u->utf8 ? "\u2192" : "->", (unsigned long long)t->esp[1],
			 u->utf8 ? "\u2190" : "<-");
	for (unsigned i = 0; i < t->np2 && i < TK_MAX_P2; i++) {
		const struct tv_p2 *p = &t->p2[i];
		enum tv_sev s = tv_status_fails(p->status)    ? TV_ERR
				: p->status == TS_ESTABLISHED ? TV_GOOD
							      : TV_NEUTRAL;
		if (p->ike_rekey) {
			add_line(L, sev_attr(u, s), -1, "IKE SA rekey (msgid %u, by the %s): %s",
				 p->msgid, p->initiator == TK_I ? "initiator" : "responder",
				 tk_status_name(p->status));
			continue;
		}
		add_line(L, sev_attr(u, s), -1, "%s %u (msgid %u, by the %s): %s%s%s%s",
			 t->version == 2 ? "CHILD SA" : "quick mode", i + 1, p->msgid,
			 p->initiator == TK_I ? "initiator" : "responder",
			 tk_status_name(p->status), p->state[0] ? " (" : "", p->state,
			 p->state[0] ? ")" : "");
	}
	const char *si = t->st[0][0] ? t->st[0] : "-", *sr = t->st[1][0] ? t->st[1] : "-";
	if (t->status == TS_FAILED || t->status == TS_STALLED) {
		char ios[80] = "";
		if (t->ios[0][0] && t->ios[1][0] && strcmp(t->ios[0], t->ios[1]) == 0)
			snprintf(ios, sizeof ios, " (IOS: %s on both)", t->ios[0]);
		else if (t->ios[0][0] || t->ios[1][0])
			snprintf(ios, sizeof ios, " (IOS: %s / %s)", t->ios[0][0] ? t->ios[0] : "-",
				 t->ios[1][0] ? t->ios[1] : "-");
		add_line(L, sev_attr(u, TV_ERR), -1, "%s: initiator %s, responder %s%s.",
			 t->status == TS_FAILED ? "Failed" : "Stalled", si,
			 t->st[1][0] ? sr : "(never answered)", ios);
	} else {
		add_line(L, A_NORMAL, -1, "States: initiator %s, responder %s%s.", si, sr,
			 t->closed ? "" : " (so far)");
	}
	if (t->one_way)
		add_line(L, A_DIM, -1, "The capture shows only one direction of this SA.");
}

static void
draw_ladder(struct tv_ui *u, int y, int x, int w, int h)
{
	const struct tv_entry *e = tv_selected(u);
	char title[200];
	const struct tv_tunnel *t = e ? e->t : NULL;
	if (t) {
		const char *mode = t->version == 2	      ? "IKEv2"
				   : t->mode == TM_MAIN	      ? "IKEv1 main mode"
				   : t->mode == TM_AGGRESSIVE ? "IKEv1 aggressive mode"
							      : "IKEv1";
		snprintf(title, sizeof title, "Ladder: %s, %s %s", mode,
			 t->version == 2 ? "SPIs" : "cookies", t->spi[0]);
	} else {
		snprintf(title, sizeof title, "Ladder");
	}
	u->lad_h = h - 1;
	u->lad_rows = 0;
	if (h <= 1 || !t)
		pane_title(u, y, x, w, title, u->focus == TV_LADDER, 0, 0, 0);
	if (h <= 1)
		return;
	if (!t) {
		put(u, y + 1, x + 1, w - 1,
		    e ? "This finding belongs to no IKE SA: it is shown below." : "", A_DIM);
		return;
	}
	/* columns: frame, [time], msg, dir, transmissions, what, initiator, responder */
	int stw = 9;
	for (unsigned i = 0; i < t->nrows; i++)
		for (int s = 0; s < 2; s++) {
			int l = text_width(t->rows[i].st[s]);
			stw = l > stw ? l : stw;
		}
	if (stw > 20)
		stw = 20;
	int fixed = 6 + 1 + 6 + 1 + 1 + 1 + 3 + 1 + 1 + stw + 1 + stw;
	bool time = w - fixed - 9 >= 24;
	int whatw = w - fixed - (time ? 9 : 0);
	if (whatw < 8)
		whatw = 8;
	char hdr[200], hw[64], h0[32], h1[32];
	pad_to(hw, sizeof hw, "what", whatw);
	pad_to(h0, sizeof h0, "initiator", stw);
	pad_to(h1, sizeof h1, "responder", stw);
	snprintf(hdr, sizeof hdr, "%6s %s%-6s %s %s %s %s %s", "frame", time ? "    time " : "",
		 "msg", " ", "   ", hw, h0, h1);
	put(u, y + 1, x, w, hdr, head_attr(u));

	struct lines L = {0};
	ladder_lines(u, t, &L, stw, time, whatw);
	int rows = h - 2;
	u->lad_h = rows;
	u->lad_rows = (int)t->nrows;
	if (u->lad_sel >= (int)t->nrows)
		u->lad_sel = t->nrows ? (int)t->nrows - 1 : 0;
	if (u->lad_sel < 0)
		u->lad_sel = 0;
	int max_top = L.n - rows > 0 ? L.n - rows : 0;
	if (u->focus == TV_LADDER) {
		if (u->lad_sel < u->lad_top)
			u->lad_top = u->lad_sel;
		if (u->lad_sel >= u->lad_top + rows)
			u->lad_top = u->lad_sel - rows + 1;
	} else if (u->lad_follow) {
		u->lad_top = max_top;
	}
	if (u->lad_top > max_top)
		u->lad_top = max_top;
	if (u->lad_top < 0)
		u->lad_top = 0;
	pane_title(u, y, x, w, title, u->focus == TV_LADDER, u->lad_top, rows, L.n);
	for (int r = 0; r < rows && u->lad_top + r < L.n; r++) {
		const struct line *ln = &L.v[u->lad_top + r];
		bool sel = u->focus == TV_LADDER && ln->row >= 0 && ln->row == u->lad_sel;
		if (sel)
			fill(y + 2 + r, x, w, A_REVERSE);
		put(u, y + 2 + r, x, w, ln->s, ln->a | (sel ? A_REVERSE : 0));
	}
	free_lines(&L);
}

/* ---- the finding ---- */

static void
finding_lines(const struct tv_ui *u, const struct finding *fd, struct lines *L, int w)
{
	char head[400];
	size_t n = 0;
	enum tv_sev s = tv_finding_sev(fd);
	n += (size_t)snprintf(head, sizeof head, "%s %s  (%s%s", sev_mark(u, s), fd->cause,
			      diag_conf_name(fd->confidence),
			      fd->severity == SEV_INFO ? ", info" : "");
	for (unsigned k = 0; k < fd->nalt && k < DIAG_MAX_ALT && n < sizeof head; k++)
		n += (size_t)snprintf(head + n, sizeof head - n, "%s%s",
				      k ? ", " : "; could also be: ", fd->alternatives[k]);
	if (n < sizeof head)
		snprintf(head + n, sizeof head - n, ")");
	add_line(L, sev_attr(u, s) | A_BOLD, -1, "%s", head);
	char body[1200];
	n = (size_t)snprintf(body, sizeof body, "%s", fd->summary);
	if (fd->nframes && n < sizeof body) {
		n += (size_t)snprintf(body + n, sizeof body - n, " Frames %llu",
				      (unsigned long long)fd->frames[0].frame);
		unsigned shown = 1;
		for (unsigned k = 1;
		     k < fd->nframes && k < DIAG_MAX_FRAMES && shown < 8 && n < sizeof body;
		     k++, shown++)
			n += (size_t)snprintf(body + n, sizeof body - n, ", %llu",
					      (unsigned long long)fd->frames[k].frame);
		if (fd->nframes > shown && n < sizeof body)
			n += (size_t)snprintf(body + n, sizeof body - n, " %s",
					      u->utf8 ? "\u2026" : "...");
		if (n < sizeof body)
			snprintf(body + n, sizeof body - n, ".");
	}
	wrap(L, w, A_NORMAL, "  ", "  ", body);
	if (fd->proof[0])
		wrap(L, w, A_NORMAL, "  Proof: ", "         ", fd->proof);
	if (fd->nremedy) {
		add_line(L, A_BOLD, -1, "  Fix:");
		for (unsigned k = 0; k < fd->nremedy && k < DIAG_MAX_REMEDY; k++) {
			char pre[32];
			snprintf(pre, sizeof pre, "    %-11s ", fd->remedy[k].vendor);
			wrap(L, w, A_NORMAL, pre, "                ", fd->remedy[k].text);
		}
	}
}

static void
details_lines(const struct tv_ui *u, const struct tv_tunnel *t, struct lines *L, int w)
{
	const struct tv_model *m = u->m;
	add_line(L, A_NORMAL, -1, "%s", "");
	add_line(L, A_BOLD, -1, "%s %s (%s%s%s) %s %s (%s%s%s)",
		 t->version == 2 ? "IKEv2" : "IKEv1", t->addr[0],
		 t->role_known ? "initiator" : "peer", t->family[0][0] ? ", " : "", t->family[0],
		 u->utf8 ? "\u2192" : "->", t->addr[1], t->role_known ? "responder" : "peer",
		 t->family[1][0] ? ", " : "", t->family[1]);
	add_line(L, A_NORMAL, -1, "%s %s / %s   frames %llu%s%llu, %.1f%s%.1f s",
		 t->version == 2 ? "SPIs" : "cookies", t->spi[0],
		 t->rspi_known ? t->spi[1] : "(none yet)", (unsigned long long)t->first.frame,
		 u->utf8 ? "\u2013" : "-", (unsigned long long)t->last.frame,
		 (double)(t->first.t - m->t0) / 1e6, u->utf8 ? "\u2013" : "-",
		 (double)(t->last.t - m->t0) / 1e6);
	if (t->offer[0]) {
		char more[32] = "";
		if (t->noffer_total > 1)
			snprintf(more, sizeof more, " (+%u more)", t->noffer_total - 1);
		char o[200];
		snprintf(o, sizeof o, "%s%s", t->offer, more);
		wrap(L, w, A_NORMAL, "offered:  ", "          ", o);
	}
	if (t->chosen[0])
		wrap(L, w, A_NORMAL, "accepted: ", "          ", t->chosen);
	if (t->nat[0] >= 0 || t->nat[1] >= 0)
		add_line(L, A_NORMAL, -1, "NAT: initiator %s, responder %s%s",
			 t->nat[0] > 0	  ? "behind NAT"
			 : t->nat[0] == 0 ? "no NAT"
					  : "unknown",
			 t->nat[1] > 0	  ? "behind NAT"
			 : t->nat[1] == 0 ? "no NAT"
					  : "unknown",
			 t->floated ? " (moved to UDP 4500)" : "");
}

static void
draw_finding(struct tv_ui *u, int y, int w, int h)
{
	const struct tv_entry *e = tv_selected(u);
	const struct tv_model *m = u->m;
	const struct finding *order[TV_MAX_FIND + 1];
	unsigned nf = 0;
	if (e && e->t) {
		/* errors first, then warnings, then advisories */
		for (int sev = SEV_ERROR; sev <= SEV_INFO; sev++)
			for (unsigned i = 0; i < e->t->nfind; i++) {
				const struct finding *fd =
				    m->dg ? diag_get(m->dg, e->t->find[i]) : NULL;
				if (fd && (int)fd->severity == sev && nf < TV_MAX_FIND)
					order[nf++] = fd;
			}
	} else if (e) {
		const struct finding *fd = m->dg ? diag_get(m->dg, e->fd) : NULL;
		if (fd)
			order[nf++] = fd;
	}
	char title[160];
	if (nf)
		snprintf(title, sizeof title, "Finding: %s%s", order[0]->cause,
			 nf > 1 ? " (and more below)" : "");
	else
		snprintf(title, sizeof title, "Finding");
	u->find_h = h - 1;
	if (h <= 1 || !e) {
		pane_title(u, y, 0, w, title, u->focus == TV_FINDING, 0, 0, 0);
		return;
	}
	struct lines L = {0};
	int tw = w - 2;
	for (unsigned i = 0; i < nf; i++) {
		if (i)
			add_line(&L, A_NORMAL, -1, "%s", "");
		finding_lines(u, order[i], &L, tw);
	}
	if (!nf && e->t) {
		if (!e->t->closed && !m->ended)
			wrap(
			    &L, tw, A_DIM, "", "",
			    "No finding yet: the rules run when the SA closes (idle timeout, or the "
			    "end of the capture).");
		else if (tv_tunnel_sev(m, e->t, NULL) == TV_GOOD)
			add_line(&L, sev_attr(u, TV_GOOD), -1,
				 "No finding: the negotiation completed.");
		else
			add_line(&L, A_NORMAL, -1, "No finding for this tunnel.");
	}
	if (e->t)
		details_lines(u, e->t, &L, tw);
	int rows = h - 1;
	u->find_lines = L.n;
	int max_top = L.n - rows > 0 ? L.n - rows : 0;
	if (u->find_top > max_top)
		u->find_top = max_top;
	if (u->find_top < 0)
		u->find_top = 0;
	pane_title(u, y, 0, w, title, u->focus == TV_FINDING, u->find_top, rows, L.n);
	for (int r = 0; r < rows && u->find_top + r < L.n; r++) {
		const struct line *ln = &L.v[u->find_top + r];
		put(u, y + 1 + r, 1, tw, ln->s, ln->a);
	}
	free_lines(&L);
}

/* ---- bars ---- */

static void
draw_title(struct tv_ui *u, const char *what)
{
	const struct tv_model *m = u->m;
	fill(0, 0, COLS, bar_attr(u));
	unsigned nfail = 0, n = 0;
	for (unsigned i = 0; i < m->ntun; i++) {
		if (!m->tun[i]->snapped)
			continue;
		n++;
		if (tv_tunnel_sev(m, m->tun[i], NULL) == TV_ERR)
			nfail++;
	}
	char left[256], right[200];
	size_t k = 0;
	right[0] = '\0';
	if (what) {
		/* the packet view: the tunnel says it all */
		put(u, 0, 0, COLS, what, bar_attr(u) | A_BOLD);
		return;
	}
	if (u->filter[0])
		k += (size_t)snprintf(right + k, sizeof right - k, "[/%s] ", u->filter);
	if (u->failed_only && k < sizeof right)
		k += (size_t)snprintf(right + k, sizeof right - k, "[failed only] ");
	if (k < sizeof right) {
		if (u->live && !m->ended)
			snprintf(right + k, sizeof right - k, "live: %llu frames, %llu dropped ",
				 (unsigned long long)u->frames, (unsigned long long)u->drops);
		else if (!m->ended)
			snprintf(right + k, sizeof right - k, "reading: %llu frames ",
				 (unsigned long long)u->frames);
		else
			snprintf(right + k, sizeof right - k, "%s%llu frames, %u finding%s ",
				 u->live ? "stopped: " : "", (unsigned long long)m->ri.frames,
				 m->ri.findings, m->ri.findings == 1 ? "" : "s");
	}
	int rw = text_width(right);
	/* what is read gives way first: the path, then the name, then all of it */
	const char *src = u->source, *slash = strrchr(src, '/');
	char counts[64];
	tv_fmt(counts, sizeof counts, "%u tunnel%s, %u failed", n, n == 1 ? "" : "s", nfail);
	tv_fmt(left, sizeof left, " ikelens  %s  %s", src, counts);
	if (text_width(left) > COLS - rw - 1 && slash && !u->live)
		tv_fmt(left, sizeof left, " ikelens  %s  %s", slash + 1, counts);
	if (text_width(left) > COLS - rw - 1)
		tv_fmt(left, sizeof left, " ikelens  %s", counts);
	put(u, 0, 0, COLS - rw - 1, left, bar_attr(u) | A_BOLD);
	put(u, 0, COLS - rw, rw, right, bar_attr(u));
}

static void
draw_status(struct tv_ui *u)
{
	int y = LINES - 1;
	fill(y, 0, COLS, A_NORMAL);
	if (u->editing) {
		char b[128];
		snprintf(b, sizeof b, "/%s_", u->filter);
		int c = put(u, y, 0, COLS, b, A_BOLD);
		put(u, y, c + 2, COLS - c - 2, "(Enter: keep, Esc: clear)", A_DIM);
		return;
	}
	if (u->msg[0]) {
		put(u, y, 0, COLS, u->msg, A_BOLD);
		return;
	}
	if (u->err[0]) {
		char b[300];
		snprintf(b, sizeof b, "%s%s", u->err,
			 u->nerr > 1 ? " (and more: see after quitting)" : "");
		put(u, y, 0, COLS, b, sev_attr(u, TV_ERR));
		return;
	}
	const char *keys;
	if (u->screen == TV_PACKETS)
		keys =
		    u->utf8
			? "\u2191\u2193 packet  Tab tree/list  PgUp/PgDn \u2190\u2192 scroll  Esc back  ? help"
			: "j/k packet  Tab tree/list  PgUp/PgDn h/l scroll  Esc back  ? help";
	else if (u->live && !u->m->ended)
		keys =
		    u->utf8
			? "\u2191\u2193 move  Enter packets  Tab pane  / filter  f failed  ? help  q stop"
			: "j/k move  Enter packets  Tab pane  / filter  f failed  ? help  q stop";
	else
		keys =
		    u->utf8
			? "\u2191\u2193 move  Enter packets  Tab pane  / filter  f failed  ? help  q quit"
			: "j/k move  Enter packets  Tab pane  / filter  f failed  ? help  q quit";
	put(u, y, 0, COLS, keys, A_DIM);
}

/* ---- the packet view ---- */

static void
draw_packets(struct tv_ui *u, const struct tv_tunnel *t)
{
	const struct tv_model *m = u->m;
	char what[256];
	tv_fmt(what, sizeof what, " Packets of %s %s %s %s%s", t->version == 2 ? "IKEv2" : "IKEv1",
	       t->addr[0], u->utf8 ? "\u2192" : "->", t->addr[1],
	       t->frames_dropped ? " (older ones not kept)" : "");
	draw_title(u, what);
	int body = LINES - 2;
	int lh = (int)t->nframes;
	int maxl = (body - 2) / 3 > 3 ? (body - 2) / 3 : 3;
	if (lh > maxl)
		lh = maxl;
	if (lh < 1)
		lh = 1;
	u->pk_h = lh;
	if (u->pk_sel >= (int)t->nframes)
		u->pk_sel = t->nframes ? (int)t->nframes - 1 : 0;
	if (u->pk_sel < 0)
		u->pk_sel = 0;
	if (u->pk_sel < u->pk_top)
		u->pk_top = u->pk_sel;
	if (u->pk_sel >= u->pk_top + lh)
		u->pk_top = u->pk_sel - lh + 1;
	if (u->pk_top < 0)
		u->pk_top = 0;
	pane_title(u, 1, 0, COLS, "Packets", !u->tree_focus, u->pk_top, lh, (int)t->nframes);
	for (int r = 0; r < lh && u->pk_top + r < (int)t->nframes; r++) {
		int i = u->pk_top + r;
		const struct tk_ref *ref = &t->frames[i];
		const struct tv_pkt *p = tv_pkt_find(m, ref->file, ref->frame);
		char line[256];
		if (p)
			snprintf(line, sizeof line, "%s", p->line);
		else
			snprintf(line, sizeof line, "%6llu %9.3f  (no longer kept)",
				 (unsigned long long)ref->frame, (double)(ref->t - m->t0) / 1e6);
		bool sel = i == u->pk_sel;
		attr_t a = sel ? (u->tree_focus ? A_BOLD : A_REVERSE) : A_NORMAL;
		if (sel)
			fill(2 + r, 0, COLS, a);
		put(u, 2 + r, 0, COLS, line, a);
	}
	if (!t->nframes)
		put(u, 2, 1, COLS - 1, "No IKE packet of this tunnel is kept.", A_DIM);

	int ty = 2 + lh;
	const struct tk_ref *ref = t->nframes ? &t->frames[u->pk_sel] : NULL;
	const struct tv_pkt *p = ref ? tv_pkt_find(m, ref->file, ref->frame) : NULL;
	char tt[96];
	if (ref)
		snprintf(tt, sizeof tt, "Frame %llu: payload tree", (unsigned long long)ref->frame);
	else
		snprintf(tt, sizeof tt, "Payload tree");
	int th = LINES - 1 - (ty + 1);
	u->tree_h = th;
	u->tree_lines = 0;
	if (th <= 0 || !p || !p->tree)
		pane_title(u, ty, 0, COLS, tt, u->tree_focus, 0, 0, 0);
	if (th <= 0)
		return;
	if (!p || !p->tree) {
		char b[160];
		snprintf(b, sizeof b,
			 "The payload tree of this packet is no longer kept (only the last %d "
			 "IKE packets keep theirs).",
			 TV_MAX_PKTS);
		if (ref)
			put(u, ty + 1, 1, COLS - 1, b, A_DIM);
		return;
	}
	int nl = 0;
	for (const char *s = p->tree; *s; s++)
		nl += *s == '\n';
	u->tree_lines = nl;
	if (u->tree_top > nl - th)
		u->tree_top = nl - th;
	if (u->tree_top < 0)
		u->tree_top = 0;
	pane_title(u, ty, 0, COLS, tt, u->tree_focus, u->tree_top, th, nl);
	const char *s = p->tree;
	for (int i = 0; i < u->tree_top && s; i++) {
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	char line[1024];
	for (int r = 0; r < th && s && *s; r++) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		snprintf(line, sizeof line, "%.*s", (int)len, s);
		put_skip(u, ty + 1 + r, 0, COLS, line, A_NORMAL, u->tree_left);
		s = e ? e + 1 : NULL;
	}
}

/* ---- help ---- */

static void
draw_help(const struct tv_ui *u)
{
	static const char *const lines[] = {
	    "Keys",
	    "",
	    "Up Down j k     move: tunnels, ladder rows, finding text",
	    "PgUp PgDn       a page;  Home End  first, last",
	    "Tab             next pane: tunnels, ladder, finding",
	    "Enter           the tunnel's packets and payload trees",
	    "                (on a ladder row: that packet)",
	    "/               filter tunnels: address, state, cause,",
	    "                version, vendor, SPI (Esc clears)",
	    "f               failed only, on and off",
	    "?               this help (any key closes it)",
	    "q               quit; live: stop the capture, then quit",
	    "Ctrl-C          the same as q",
	    "",
	    "Packet view: Up/Down a packet, Tab the tree,",
	    "PgUp/PgDn Left/Right scroll it, Esc or q back.",
	};
	int n = (int)(sizeof lines / sizeof lines[0]);
	int w = 58, h = n + 2;
	if (w > COLS)
		w = COLS;
	if (h > LINES)
		h = LINES;
	int y0 = (LINES - h) / 2, x0 = (COLS - w) / 2;
	attr_t a = A_NORMAL;
	const char *hz = u->utf8 ? "\u2500" : "-", *vt = u->utf8 ? "\u2502" : "|";
	for (int r = 0; r < h; r++) {
		fill(y0 + r, x0, w, a);
		move(y0 + r, x0);
		attrset(A_BOLD);
		if (r == 0 || r == h - 1) {
			addstr(r == 0 ? (u->utf8 ? "\u250c" : "+") : (u->utf8 ? "\u2514" : "+"));
			for (int i = 1; i < w - 1; i++)
				addstr(hz);
			addstr(r == 0 ? (u->utf8 ? "\u2510" : "+") : (u->utf8 ? "\u2518" : "+"));
			continue;
		}
		addstr(vt);
		mvaddstr(y0 + r, x0 + w - 1, vt);
		if (r - 1 < n)
			put(u, y0 + r, x0 + 2, w - 4, lines[r - 1], r == 1 ? A_BOLD : A_NORMAL);
	}
}

/* ---- the whole screen ---- */

void
tv_draw(struct tv_ui *u)
{
	erase();
	if (LINES < 10 || COLS < 40) {
		put(u, 0, 0, COLS, "ikelens: 40x10 at least, please (q quits)", A_BOLD);
		refresh();
		return;
	}
	tv_build_list(u);
	const struct tv_entry *e = tv_selected(u);
	if (u->screen == TV_PACKETS && e && e->t) {
		draw_packets(u, e->t);
	} else {
		u->screen = TV_MAIN;
		int H = LINES, W = COLS;
		int body = H - 2;
		int fh = u->focus == TV_FINDING ? body * 3 / 5 : body / 3;
		if (fh < 4)
			fh = 4;
		int top = body - fh;
		draw_title(u, NULL);
		if (W >= WIDE_COLS) {
			/* the list takes what its lines need, up to half */
			struct cols c;
			list_cols(u, W, &c);
			int lw = 2 + 3 + c.peers + 2 + c.status + 2 + c.stall + 2 + 14;
			if (lw < 40)
				lw = 40;
			if (lw > W / 2)
				lw = W / 2;
			draw_list(u, 1, 0, lw, top - 1);
			for (int r = 1; r <= top; r++)
				mvaddstr(r, lw, u->utf8 ? "\u2502" : "|");
			draw_ladder(u, 1, lw + 1, W - lw - 1, top);
		} else {
			int n = u->nlist ? (int)u->nlist : 1;
			int max = top / 3 > 3 ? top / 3 : 3;
			int lh = n < max ? n : max;
			draw_list(u, 1, 0, W, lh);
			draw_ladder(u, 2 + lh, 0, W, top - 1 - lh);
		}
		draw_finding(u, 1 + top, W, fh);
	}
	draw_status(u);
	if (u->help)
		draw_help(u);
	attrset(A_NORMAL);
	refresh();
}
