/*
 * tui.c - the ncurses screen: inputs, the event loop and the keys.
 *
 * Files and live captures share one loop: the capture is read a batch at a
 * time (cap_dispatch) between looks at the keyboard, so a long file shows
 * its progress and a live interface updates in place.  Live, the loop
 * sleeps in poll() on the capture's fd and the terminal, with a timeout that
 * paces redraws (at most ten a second).  The end of the input (the last
 * file, q or Ctrl-C live, -c reached) runs the end-of-run rules, and the
 * screen then shows the final findings until q.
 *
 * While the screen is up, stderr goes to a temporary file (a warning from
 * deep inside would tear the screen); it is written out after the screen
 * closes.
 */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "config.h"
#include "src/analyze.h"
#include "src/capture/capture.h"
#include "src/cli.h"
#include "src/decrypt/kx.h"
#include "src/keys/keys.h"
#include "tui/tui.h"
#include "tui/tui_int.h"

#define REDRAW_MS 100

/* Set by signal handlers; read by the loop. */
static volatile sig_atomic_t got_int, got_term;

static void
on_int(int sig)
{
	(void)sig;
	got_int = 1;
}

static void
on_term(int sig)
{
	(void)sig;
	got_term = 1;
}

static long long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- inputs ---- */

struct inputs {
	const struct cli *cli;
	struct analysis *an;
	struct cap *caps[CLI_MAX_FILES];
	unsigned ncaps, cur;
	bool live;
	bool reading;	      /* inputs remain */
	bool failed;	      /* an input could not be opened or read */
	bool dump_opened;     /* -w opened on the current input */
	uint64_t done_frames; /* frames of the inputs already closed */
	uint64_t left;	      /* -c: frames still to read (files) */
	int status;	      /* an_finish() */
	char open_err[256];   /* the first input that would not open */
	unsigned nopen_err;
	unsigned first_file; /* index of the first input that opened */
};

static void
input_error(struct tv_ui *u, struct inputs *in, const char *msg)
{
	in->failed = true;
	/* stderr is the temporary file while the screen is up */
	fprintf(stderr, "ikelens: %s\n", msg);
	if (u) {
		tv_fmt(u->err, sizeof u->err, "ikelens: %s", msg);
		u->nerr++;
	}
}

static void
close_current(struct inputs *in)
{
	struct cap *c = in->caps[in->cur];
	struct cap_stats st;
	cap_stats(c, &st);
	an_add_stats(in->an, &st);
	in->done_frames += st.frames;
	if (in->cli->count && !in->live)
		in->left = st.frames >= in->left ? 0 : in->left - st.frames;
	cap_close(c);
	in->caps[in->cur] = NULL;
	in->cur++;
	in->dump_opened = false;
	if (in->cli->count && !in->live && in->left == 0)
		while (in->cur < in->ncaps) {
			cap_close(in->caps[in->cur]);
			in->caps[in->cur++] = NULL;
		}
}

static void
finish(struct tv_ui *u, struct inputs *in)
{
	while (in->cur < in->ncaps) {
		if (in->live)
			close_current(in);
		else {
			cap_close(in->caps[in->cur]);
			in->caps[in->cur++] = NULL;
		}
	}
	in->reading = false;
	in->status = an_finish(in->an);
	u->phase = in->live ? "stopped" : "done";
	u->lad_follow = false;
}

/* Read what is ready: a batch of a file, or what a live interface has. */
static void
read_some(struct tv_ui *u, struct inputs *in)
{
	char err[512];
	if (in->cur >= in->ncaps) {
		finish(u, in);
		return;
	}
	struct cap *c = in->caps[in->cur];
	if (!in->dump_opened && in->cli->write_file) {
		in->dump_opened = true;
		if (cap_dump_open(c, in->cli->write_file, err, sizeof err) != 0) {
			input_error(u, in, err);
			finish(u, in);
			return;
		}
	}
	int r;
	if (!in->live && in->cli->count) {
		/* exactly -c frames, as the other outputs count them */
		r = cap_loop(c, an_handler(in->an), in->left, err, sizeof err);
		if (r < 0)
			input_error(u, in, err);
		close_current(in);
	} else {
		r = cap_dispatch(c, an_handler(in->an), err, sizeof err);
		if (r < 0) {
			input_error(u, in, err);
			close_current(in);
		} else if (r == 0 && !in->live) {
			close_current(in); /* the file has ended */
		}
	}
	struct cap_stats st = {0};
	if (in->cur < in->ncaps)
		cap_stats(in->caps[in->cur], &st);
	u->frames = in->done_frames + st.frames;
	u->drops = st.ps_drop;
	if (in->live && in->cli->count && u->frames >= in->cli->count)
		finish(u, in);
	else if (in->cur >= in->ncaps)
		finish(u, in);
}

static bool
open_inputs(struct inputs *in, char *first_err, size_t errlen)
{
	const struct cli *c = in->cli;
	struct cap_limits lim = {0, 0, 0};
	char err[512];
	first_err[0] = '\0';
	if (c->iface) {
		in->live = true;
		in->caps[0] = cap_open_live(c->iface, c->bpf, c->snaplen, &lim, err, sizeof err);
		if (!in->caps[0]) {
			snprintf(first_err, errlen, "%s", err);
			return false;
		}
		in->ncaps = 1;
		return true;
	}
	for (unsigned i = 0; i < c->nfiles; i++) {
		struct cap *cp = cap_open_file(c->files[i], i, &lim, err, sizeof err);
		if (!cp) {
			/* said now, and again on the screen and after it */
			fprintf(stderr, "ikelens: %s\n", err);
			if (!in->nopen_err++)
				tv_fmt(in->open_err, sizeof in->open_err, "ikelens: %s", err);
			in->failed = true;
			continue;
		}
		if (!in->ncaps)
			in->first_file = i;
		in->caps[in->ncaps++] = cp;
	}
	return in->ncaps > 0;
}

/* ---- keys ---- */

static void
open_packets(struct tv_ui *u)
{
	const struct tv_entry *e = tv_selected(u);
	if (!e || !e->t)
		return;
	const struct tv_tunnel *t = e->t;
	u->pk_sel = 0;
	if (u->focus == TV_LADDER && u->lad_sel >= 0 && (unsigned)u->lad_sel < t->nrows) {
		const struct tk_ref *r = &t->rows[u->lad_sel].ref;
		for (unsigned i = 0; i < t->nframes; i++)
			if (t->frames[i].frame == r->frame && t->frames[i].file == r->file) {
				u->pk_sel = (int)i;
				break;
			}
	}
	u->pk_top = u->tree_top = u->tree_left = 0;
	u->tree_focus = false;
	u->screen = TV_PACKETS;
}

static void
move_in_pane(struct tv_ui *u, int d)
{
	switch (u->focus) {
	case TV_LIST:
		u->moved = true;
		tv_select_index(u, tv_list_index(u) + d);
		break;
	case TV_LADDER:
		u->lad_sel += d;
		if (u->lad_sel >= u->lad_rows)
			u->lad_sel = u->lad_rows - 1;
		if (u->lad_sel < 0)
			u->lad_sel = 0;
		break;
	default:
		u->find_top += d;
		if (u->find_top < 0)
			u->find_top = 0;
		break;
	}
}

static int
page(const struct tv_ui *u)
{
	int h = u->focus == TV_LIST ? u->list_h : u->focus == TV_LADDER ? u->lad_h : u->find_h;
	return h > 1 ? h - 1 : 1;
}

static void
key_packets(struct tv_ui *u, int ch)
{
	int th = u->tree_h > 1 ? u->tree_h - 1 : 1;
	switch (ch) {
	case 27:
	case 'q':
	case KEY_BACKSPACE:
	case 127:
	case 8:
		u->screen = TV_MAIN;
		break;
	case '\t':
	case '\n':
	case '\r':
	case KEY_ENTER:
	case KEY_BTAB:
		u->tree_focus = !u->tree_focus;
		break;
	case KEY_UP:
	case 'k':
		if (u->tree_focus) {
			u->tree_top--;
		} else if (u->pk_sel > 0) {
			u->pk_sel--;
			u->tree_top = u->tree_left = 0;
		}
		break;
	case KEY_DOWN:
	case 'j':
		if (u->tree_focus) {
			u->tree_top++;
		} else {
			u->pk_sel++;
			u->tree_top = u->tree_left = 0;
		}
		break;
	case KEY_PPAGE:
		u->tree_top -= th;
		break;
	case KEY_NPAGE:
	case ' ':
		u->tree_top += th;
		break;
	case KEY_HOME:
	case 'g':
		if (u->tree_focus)
			u->tree_top = 0;
		else
			u->pk_sel = 0, u->tree_top = 0;
		break;
	case KEY_END:
	case 'G':
		if (u->tree_focus)
			u->tree_top = u->tree_lines;
		else
			u->pk_sel = 1 << 30, u->tree_top = 0;
		break;
	case KEY_LEFT:
	case 'h':
		u->tree_left = u->tree_left > 8 ? u->tree_left - 8 : 0;
		break;
	case KEY_RIGHT:
	case 'l':
		u->tree_left += 8;
		break;
	default:
		break;
	}
	if (u->tree_top < 0)
		u->tree_top = 0;
}

static void
key_filter(struct tv_ui *u, int ch)
{
	size_t n = strlen(u->filter);
	switch (ch) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		u->editing = false;
		break;
	case 27:
		u->filter[0] = '\0';
		u->editing = false;
		break;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (n)
			u->filter[n - 1] = '\0';
		break;
	case 21: /* Ctrl-U */
		u->filter[0] = '\0';
		break;
	default:
		if (ch >= 0x20 && ch < 0x7f && n + 1 < sizeof u->filter) {
			u->filter[n] = (char)ch;
			u->filter[n + 1] = '\0';
		}
		break;
	}
	u->list_top = 0;
}

/* Returns true to quit. */
static bool
key(struct tv_ui *u, struct inputs *in, int ch)
{
	if (ch == KEY_RESIZE)
		return false;
	u->msg[0] = '\0';
	u->err[0] = '\0'; /* seen; they are written out again after the screen */
	if (u->help) {
		u->help = false;
		return false;
	}
	if (u->editing) {
		key_filter(u, ch);
		return false;
	}
	if (ch == '?') {
		u->help = true;
		return false;
	}
	if (u->screen == TV_PACKETS) {
		key_packets(u, ch);
		return false;
	}
	switch (ch) {
	case 'q':
	case 'Q':
		if (in->reading && in->live) {
			finish(u, in);
			snprintf(u->msg, sizeof u->msg,
				 "Capture stopped: these are the final findings.  q quits.");
			return false;
		}
		return true;
	case '/':
		u->editing = true;
		break;
	case 27:
		u->filter[0] = '\0';
		break;
	case 'f':
		u->failed_only = !u->failed_only;
		u->list_top = 0;
		snprintf(u->msg, sizeof u->msg, "%s",
			 u->failed_only ? "Failed tunnels only." : "All tunnels.");
		break;
	case '\t':
		u->focus = (enum tv_pane)((u->focus + 1) % TV_NPANES);
		break;
	case KEY_BTAB:
		u->focus = (enum tv_pane)((u->focus + TV_NPANES - 1) % TV_NPANES);
		break;
	case KEY_UP:
	case 'k':
		move_in_pane(u, -1);
		break;
	case KEY_DOWN:
	case 'j':
		move_in_pane(u, 1);
		break;
	case KEY_PPAGE:
		move_in_pane(u, -page(u));
		break;
	case KEY_NPAGE:
	case ' ':
		move_in_pane(u, page(u));
		break;
	case KEY_HOME:
	case 'g':
		move_in_pane(u, -(1 << 20));
		break;
	case KEY_END:
	case 'G':
		move_in_pane(u, 1 << 20);
		break;
	case '\n':
	case '\r':
	case KEY_ENTER:
		open_packets(u);
		break;
	default:
		break;
	}
	return false;
}

/* ---- the terminal ---- */

struct term {
	SCREEN *scr;
	FILE *kin; /* where keys come from */
	bool own_kin;
	int saved_err; /* the real stderr while the screen is up (-1: not held) */
	FILE *err_tmp;
	bool signals; /* our handlers are installed */
	struct sigaction old_int, old_term, old_hup;
};

static bool
utf8_locale(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

static void
term_signals(struct term *t)
{
	/* before curses starts: it leaves handlers that are not the default alone */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_int;
	sigaction(SIGINT, &sa, &t->old_int);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, &t->old_term);
	sigaction(SIGHUP, &sa, &t->old_hup);
	t->signals = true;
}

static void
hold_stderr(struct term *t)
{
	t->saved_err = -1;
	t->err_tmp = tmpfile();
	if (!t->err_tmp)
		return;
	fflush(stderr);
	t->saved_err = dup(STDERR_FILENO);
	if (t->saved_err < 0 || dup2(fileno(t->err_tmp), STDERR_FILENO) < 0) {
		if (t->saved_err >= 0)
			close(t->saved_err);
		t->saved_err = -1;
		fclose(t->err_tmp);
		t->err_tmp = NULL;
	}
}

static void
release_stderr(struct term *t)
{
	if (t->saved_err < 0)
		return;
	fflush(stderr);
	dup2(t->saved_err, STDERR_FILENO);
	close(t->saved_err);
	rewind(t->err_tmp);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, t->err_tmp)) > 0)
		fwrite(buf, 1, n, stderr);
	fflush(stderr);
	fclose(t->err_tmp);
	t->err_tmp = NULL;
	t->saved_err = -1;
}

/* Give the terminal back as it was; safe to call more than once. */
static void
term_end(struct term *t)
{
	if (t->scr) {
		endwin();
		delscreen(t->scr);
		t->scr = NULL;
	}
	if (t->own_kin && t->kin) {
		fclose(t->kin);
		t->kin = NULL;
	}
	if (t->signals) {
		sigaction(SIGINT, &t->old_int, NULL);
		sigaction(SIGTERM, &t->old_term, NULL);
		sigaction(SIGHUP, &t->old_hup, NULL);
		t->signals = false;
	}
	release_stderr(t);
}

/* ---- the loop ---- */

static void
run_loop(struct tv_ui *u, struct inputs *in, struct term *t)
{
	struct tv_model *m = u->m;
	long long last_draw = 0;
	unsigned drawn_changes = ~0u;
	bool dirty = true;
	int kfd = fileno(t->kin);
	for (;;) {
		if (got_term)
			break;
		if (got_int) {
			got_int = 0;
			if (!(in->reading && in->live))
				break;
			finish(u, in);
			snprintf(u->msg, sizeof u->msg,
				 "Capture stopped: these are the final findings.  q quits.");
			dirty = true;
		}
		long long now = now_ms();
		bool changed = dirty || m->changes != drawn_changes;
		long long wait_draw = changed ? REDRAW_MS - (now - last_draw) : -1;
		if (changed && (wait_draw <= 0 || !in->reading)) {
			if (in->reading)
				tv_refresh_live(m, an_tracker(in->an));
			tv_draw(u);
			last_draw = now;
			drawn_changes = m->changes;
			dirty = false;
			wait_draw = -1;
		}

		struct pollfd pf[2];
		int npf = 1, timeout = -1;
		pf[0].fd = kfd;
		pf[0].events = POLLIN;
		if (in->reading && !in->live) {
			timeout = 0; /* a file: keep reading, glancing at the keys */
		} else if (in->reading) {
			int cfd = cap_fd(in->caps[in->cur]);
			if (cfd >= 0) {
				pf[1].fd = cfd;
				pf[1].events = POLLIN;
				npf = 2;
				timeout = 250;
			} else {
				timeout = 20; /* no pollable fd here: look often */
			}
		}
		if (wait_draw >= 0 && (timeout < 0 || wait_draw < timeout))
			timeout = (int)wait_draw;
		int pr = poll(pf, (nfds_t)npf, timeout);
		if (pr < 0 && errno != EINTR)
			break;

		if (in->reading)
			read_some(u, in);
		int ch;
		while ((ch = getch()) != ERR) {
			dirty = true;
			if (key(u, in, ch))
				return;
		}
	}
}

int
tui_run(const struct cli *c, struct kx_store *keys)
{
	int rc = 2;
	struct inputs in;
	struct term term;
	struct tv_ui u;
	struct tv_model *m = NULL;
	struct out *out = NULL;
	FILE *sink = NULL;
	memset(&in, 0, sizeof in);
	memset(&term, 0, sizeof term);
	memset(&u, 0, sizeof u);
	term.saved_err = -1;
	in.cli = c;
	in.left = c->count;

	if (!isatty(STDOUT_FILENO)) {
		fputs("ikelens: --tui needs a terminal\n", stderr);
		goto out;
	}
	setlocale(LC_CTYPE, "");
	bool utf8 = utf8_locale();

	/* keys come from the terminal, also when the capture is read from stdin */
	bool stdin_capture = false;
	for (unsigned i = 0; i < c->nfiles; i++)
		stdin_capture |= strcmp(c->files[i], "-") == 0;
	term.kin = stdin;
	if (stdin_capture || !isatty(STDIN_FILENO)) {
		term.kin = fopen("/dev/tty", "r");
		term.own_kin = true;
		if (!term.kin) {
			fputs("ikelens: --tui needs a terminal\n", stderr);
			goto out;
		}
	}

	m = tv_model_new(utf8);
	sink = fopen("/dev/null", "w");
	out = m && sink ? tv_out_new(m, sink, c) : NULL;
	in.an = out ? an_new(c, &out, 1) : NULL;
	if (!in.an) {
		fputs("ikelens: out of memory\n", stderr);
		goto out;
	}
	m->dg = an_diag(in.an);
	m->multi_file = c->nfiles > 1;
	if (keys)
		an_set_keys(in.an, keys);
	if (c->write_decrypted) {
		char werr[512];
		if (!keys) {
			fputs(
			    "ikelens: --write-decrypted needs key material (--keys, --psk-file)\n",
			    stderr);
			goto out;
		}
		if (an_write_decrypted(in.an, c->write_decrypted, werr, sizeof werr) != 0) {
			fprintf(stderr, "ikelens: %s\n", werr);
			goto out;
		}
	}
	char err[512];
	if (!open_inputs(&in, err, sizeof err)) {
		if (err[0])
			fprintf(stderr, "ikelens: %s\n", err);
		goto out;
	}
	in.reading = true;
	if (in.live)
		an_set_live(in.an, true);

	term_signals(&term);
	hold_stderr(&term);
	term.scr = newterm(NULL, stdout, term.kin);
	if (!term.scr) {
		term_end(&term);
		fprintf(stderr, "ikelens: --tui: cannot use the terminal \"%s\" (TERM)\n",
			getenv("TERM") ? getenv("TERM") : "");
		goto out;
	}
	set_term(term.scr);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);

	u.m = m;
	u.utf8 = utf8;
	u.color = has_colors() && (c->color == COLOR_ALWAYS ||
				   (c->color == COLOR_AUTO && getenv("NO_COLOR") == NULL));
	tv_view_init(u.color);
	u.live = in.live;
	u.phase = in.live ? "capturing" : "reading";
	u.lad_follow = in.live;
	char source[256];
	if (in.live)
		snprintf(source, sizeof source, "live on %s", c->iface);
	else if (in.ncaps == 1)
		tv_fmt(source, sizeof source, "%s", c->files[in.first_file]);
	else
		tv_fmt(source, sizeof source, "%s (+%u more)", c->files[in.first_file],
		       in.ncaps - 1);
	u.source = source;
	if (in.nopen_err) {
		memcpy(u.err, in.open_err, sizeof u.err);
		u.nerr = in.nopen_err;
	}

	run_loop(&u, &in, &term);
	if (in.reading)
		finish(&u, &in);
	term_end(&term);
	rc = in.failed ? 2 : in.status;

out:
	for (unsigned i = 0; i < in.ncaps; i++)
		if (in.caps[i])
			cap_close(in.caps[i]);
	term_end(&term);
	an_free(in.an);
	if (out)
		out->ops->free(out);
	if (sink)
		fclose(sink);
	tv_model_free(m);
	free(u.list);
	if (keys) {
		kx_rt_free(keys);
		keys_free(keys);
	}
	return rc;
}
