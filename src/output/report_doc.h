/*
 * report_doc.h - one document, two notations: GitHub-flavoured Markdown and
 * a self-contained HTML5 page (inline CSS, no scripts, nothing external).
 *
 * Structure calls (headings, paragraphs, tables, lists) write the markup;
 * text calls escape what they are given for the notation, so no string
 * reaches the output unescaped:
 *  - rd_txt / rd_txtf: the report's own words;
 *  - rd_wire: a string from the wire or from a finding: redacted (paths cut,
 *    and with --redact addresses and identities replaced), then escaped;
 *  - rd_code: an identifier of ours (cause id, state name, SPI) in a code span.
 * Markdown escapes \ ` * _ [ ] ~ | and turns < > & into entities and line
 * breaks into spaces; HTML escapes & < > " '.  Bytes that are not valid
 * UTF-8 and control characters are written as \xNN in both.
 */
#ifndef IKELENS_REPORT_DOC_H
#define IKELENS_REPORT_DOC_H

#include <stdbool.h>
#include <stdio.h>

#include "src/output/report_redact.h"

enum rd_fmt { RD_MD = 0, RD_HTML };

#define RD_MAX_COLS 16

struct rdoc {
	FILE *fp;
	enum rd_fmt fmt;
	struct rr *rr;
	unsigned ncols; /* columns of the open table */
	unsigned cell;	/* cells written in the current row */
	bool in_head;	/* writing the header row */
	bool in_cell;
};

void rd_begin(struct rdoc *d, const char *title);
void rd_end(struct rdoc *d);

/* Headings: level 1..4; `anchor` (HTML id) may be NULL. */
void rd_h(struct rdoc *d, int level, const char *anchor);
void rd_h_end(struct rdoc *d, int level);
void rd_p(struct rdoc *d);
void rd_p_end(struct rdoc *d);
/* A note set apart (the redaction notice, caps hit). */
void rd_note(struct rdoc *d);
void rd_note_end(struct rdoc *d);

/* A framed block (a finding); cls: bad, warn, info. */
void rd_box(struct rdoc *d, const char *cls);
void rd_box_end(struct rdoc *d);

/* Tables: the header row is written by rd_table from `heads`. */
void rd_table(struct rdoc *d, unsigned ncols, const char *const *heads, const char *cls);
void rd_tr(struct rdoc *d, const char *cls);
void rd_td(struct rdoc *d);
void rd_td_end(struct rdoc *d);
void rd_tr_end(struct rdoc *d);
void rd_table_end(struct rdoc *d);
/* A whole cell of our own text / wire text / code. */
void rd_cell_txt(struct rdoc *d, const char *s);
void rd_cell_wire(struct rdoc *d, const char *s);
void rd_cell_code(struct rdoc *d, const char *s);

void rd_ul(struct rdoc *d);
void rd_li(struct rdoc *d);
void rd_li_end(struct rdoc *d);
void rd_ul_end(struct rdoc *d);

/* Inline text. */
void rd_txt(struct rdoc *d, const char *s);
void rd_txtf(struct rdoc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rd_wire(struct rdoc *d, const char *s);
void rd_code(struct rdoc *d, const char *s);
void rd_strong(struct rdoc *d, const char *s);
/* A status word coloured by class (HTML) or marked (Markdown). */
void rd_status(struct rdoc *d, const char *word, const char *cls);
/* A link to an anchor in the same document (HTML; plain text in Markdown). */
void rd_link(struct rdoc *d, const char *anchor, const char *text);

/* Escaping alone, for tests and callers that build their own markup. */
void rd_escape(FILE *fp, enum rd_fmt fmt, const char *s);

#endif
