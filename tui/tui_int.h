/*
 * tui_int.h - the screen's own copy of the model, and the pieces of the
 * screen that share it.
 *
 * The tracker frees an SA once it closes (idle timeout, end of input), so
 * the screen keeps what it shows: one tv_tunnel per IKE SA, refreshed from
 * the live SA while it lives and frozen from the final record when it
 * closes.  The payload tree of a packet can only be rendered while the
 * packet is being handled, so the last TV_MAX_PKTS IKE packets keep their
 * rendered -V text; older ones are dropped.
 *
 *   model.c  the copy: an output (struct out) plus a refresh from live SAs
 *   view.c   drawing: the three panes, the packet view, help, status lines
 *   tui.c    tui_run: inputs, the event loop, keys
 */
#ifndef IKELENS_TUI_INT_H
#define IKELENS_TUI_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/addr.h"
#include "src/output/out.h"
#include "src/track/track.h"

#define TV_MAX_TUNNELS 4096	/* tunnels kept; the oldest closed one goes first */
#define TV_MAX_PKTS 2000	/* IKE packets whose payload tree is kept */
#define TV_MAX_FRAMES 1024	/* packet references kept per tunnel */
#define TV_TREE_MAX (64 * 1024) /* bytes of one packet's tree */
#define TV_MAX_FIND 16

/* How a line is coloured: by what is worst about it. */
enum tv_sev { TV_NEUTRAL = 0, TV_GOOD, TV_WARN, TV_ERR };

/* One message of the ladder, with each side's state after it. */
struct tv_row {
	struct tk_ref ref;
	char msg[12]; /* "MM5", "AUTH>" */
	uint8_t from; /* enum tk_side */
	unsigned ntx; /* transmissions (1 + retransmissions) */
	bool error;   /* carries an error notify */
	char what[96];
	char st[2][24]; /* initiator, responder ("" = none) */
};

struct tv_p2 {
	uint32_t msgid;
	uint8_t initiator;
	enum tk_status status;
	char state[24];
	bool ike_rekey; /* this CREATE_CHILD_SA made a new IKE SA */
};

struct tv_tunnel {
	unsigned id;  /* the tracker's SA id (1-based) */
	bool closed;  /* final: the SA was reported and freed */
	bool snapped; /* at least one snapshot taken */
	uint8_t version;
	enum tk_mode mode;
	enum tk_status status;
	bool role_known;
	char addr[2][ADDR_STRLEN];
	char family[2][24];
	char spi[2][17];
	bool rspi_known;
	char st[2][24], ios[2][24]; /* each side's state now (ASA, IOS names) */
	struct tk_ref first, last;
	uint32_t nmsgs_total;
	uint64_t esp[2];
	struct tk_ref esp_first;
	char offer[128], chosen[128];
	unsigned noffer_total;
	int8_t nat[2];
	bool floated;
	bool one_way;
	unsigned nrows;
	struct tv_row *rows;
	unsigned np2;
	struct tv_p2 p2[TK_MAX_P2];
	unsigned nfind;
	unsigned find[TV_MAX_FIND]; /* finding ids (diag_get) */

	/* its IKE packets, for the packet view */
	unsigned nframes, frames_cap;
	uint32_t frames_dropped;
	struct tk_ref *frames;

	/* what the last snapshot saw of the live SA */
	tk_time sig_last;
	uint32_t sig_nmsgs, sig_retx;
	enum tk_status sig_status;
	uint64_t sig_esp;
	unsigned sig_np2, sig_nev;
	bool sig_p1;
};

/* A packet whose tree is kept. */
struct tv_pkt {
	unsigned file;
	uint64_t frame;
	unsigned sa_id;
	tk_time t;
	char line[200]; /* one-line summary */
	char *tree;	/* the -V payload tree (NUL-terminated) */
};

struct tv_model {
	struct tv_tunnel **tun; /* sorted by id */
	unsigned ntun, tun_cap;
	unsigned evicted; /* tunnels dropped to stay within TV_MAX_TUNNELS */
	unsigned *gen;	  /* findings that belong to no IKE SA */
	unsigned ngen, gen_cap;

	struct tv_pkt pkts[TV_MAX_PKTS];
	unsigned pkt_next, npkts; /* ring */

	const struct diag *dg;
	bool have_t0;
	tk_time t0;
	bool utf8;
	bool multi_file;
	uint64_t frames_seen, ike, esp, anomalies;
	bool ended; /* the end record came: everything is final */
	struct run_info ri;
	unsigned changes;      /* bumped on every change the screen may show */
	struct tk_sa *scratch; /* for replaying a ladder's states */
};

/* ---- the screen's state (tui.c changes it, view.c draws it) ---- */

enum tv_pane { TV_LIST = 0, TV_LADDER, TV_FINDING, TV_NPANES };
enum tv_screen { TV_MAIN = 0, TV_PACKETS };

/* A line of the tunnel list: a tunnel, or a finding that belongs to none. */
struct tv_entry {
	struct tv_tunnel *t;
	unsigned fd; /* finding id when t is NULL */
};

struct tv_ui {
	struct tv_model *m;
	bool color, utf8;
	const char *source; /* what is being read: file name(s) or "eth0" */
	bool live;
	const char *phase;	/* "reading", "capturing", "done", "stopped" */
	uint64_t frames, drops; /* frames read, kernel drops (live) */
	char msg[160];		/* one-time note for the status line */
	char err[256];		/* the last input error */
	unsigned nerr;

	enum tv_screen screen;
	enum tv_pane focus;
	bool help;
	bool failed_only;
	bool editing; /* typing a filter */
	char filter[64];

	/* the selection, by identity: ids survive live updates */
	unsigned sel_id, sel_fd;
	bool moved; /* the user chose; do not jump for them */
	int list_top;
	int lad_sel, lad_top;
	bool lad_follow; /* keep the newest row in view (live) */
	int find_top;
	/* packet view */
	int pk_sel, pk_top, tree_top, tree_left;
	bool tree_focus;

	/* what the last drawing computed (for paging keys) */
	struct tv_entry *list;
	unsigned nlist, list_cap;
	int list_h, lad_h, find_h, pk_h, tree_h;
	int lad_rows, find_lines, tree_lines;
};

/* view.c */
void tv_view_init(bool color);
/* Rebuild the filtered tunnel list and place the selection in it. */
void tv_build_list(struct tv_ui *u);
int tv_list_index(const struct tv_ui *u);
void tv_select_index(struct tv_ui *u, int i);
const struct tv_entry *tv_selected(const struct tv_ui *u);
void tv_draw(struct tv_ui *u);

/* model.c */
/* snprintf for display text, where a cut is expected and shown by clipping. */
void tv_fmt(char *dst, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
struct tv_model *tv_model_new(bool utf8);
void tv_model_free(struct tv_model *m);
/* An output that feeds the model; fp is where the analysis may write (unused). */
struct out *tv_out_new(struct tv_model *m, FILE *fp, const struct cli *c);
/* Snapshot the SAs still open in the tracker that changed since last time. */
void tv_refresh_live(struct tv_model *m, struct tracker *tk);
struct tv_tunnel *tv_find(const struct tv_model *m, unsigned id);
const struct tv_pkt *tv_pkt_find(const struct tv_model *m, unsigned file, uint64_t frame);
/* What is worst about a tunnel, and its top finding (NULL if none). */
enum tv_sev tv_tunnel_sev(const struct tv_model *m, const struct tv_tunnel *t,
			  const struct finding **top);
enum tv_sev tv_finding_sev(const struct finding *fd);
bool tv_status_fails(enum tk_status s);
/* Whether the tunnel matches a filter (case-insensitive substring of its
 * addresses, version, status, states, causes, vendors, SPIs). */
bool tv_tunnel_matches(const struct tv_model *m, const struct tv_tunnel *t, const char *needle);
bool tv_text_matches(const char *hay, const char *needle);

#endif
