/*
 * report_doc.c - the report's notations (report_doc.h).
 */
#include "src/output/report_doc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---- escaping ---- */

/* Length of the valid UTF-8 sequence at p (2..4), or 0. */
static size_t
utf8_seq(const unsigned char *p)
{
	unsigned c = p[0];
	size_t n;
	unsigned min;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		min = 0x10000;
	} else {
		return 0;
	}
	unsigned v = c & (0x7fu >> n);
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3fu);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	return n;
}

static bool
alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void
esc_md(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; p[i];) {
		unsigned char c = p[i];
		if (c >= 0x80) {
			size_t n = utf8_seq(p + i);
			if (n) {
				fwrite(p + i, 1, n, fp);
				i += n;
			} else {
				fprintf(fp, "\\\\x%02x", c);
				i++;
			}
			continue;
		}
		switch (c) {
		case '\n':
		case '\r':
		case '\t':
			fputc(' ', fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '&':
			fputs("&amp;", fp);
			break;
		case '\\':
		case '`':
		case '*':
		case '[':
		case ']':
		case '~':
		case '|':
			fputc('\\', fp);
			fputc(c, fp);
			break;
		case '_':
			/* inside a word it emphasises nothing (GFM): keep names readable */
			if (i > 0 && alnum(p[i - 1]) && alnum(p[i + 1]))
				fputc('_', fp);
			else
				fputs("\\_", fp);
			break;
		case '#':
			/* only at the start of a string can it open a heading */
			if (i == 0)
				fputc('\\', fp);
			fputc(c, fp);
			break;
		case '+':
		case '-':
			/* ... and these a list item */
			if (i == 0 && p[1] == ' ')
				fputc('\\', fp);
			fputc(c, fp);
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(fp, "\\\\x%02x", c);
			else
				fputc(c, fp);
		}
		i++;
	}
}

static void
esc_html(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; p[i];) {
		unsigned char c = p[i];
		if (c >= 0x80) {
			size_t n = utf8_seq(p + i);
			if (n) {
				fwrite(p + i, 1, n, fp);
				i += n;
			} else {
				fprintf(fp, "\\x%02x", c);
				i++;
			}
			continue;
		}
		switch (c) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&#39;", fp);
			break;
		case '\n':
		case '\r':
		case '\t':
			fputc(' ', fp);
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(fp, "\\x%02x", c);
			else
				fputc(c, fp);
		}
		i++;
	}
}

void
rd_escape(FILE *fp, enum rd_fmt fmt, const char *s)
{
	if (!s)
		return;
	if (fmt == RD_HTML)
		esc_html(fp, s);
	else
		esc_md(fp, s);
}

/* ---- the page ---- */

static const char css[] =
    "body{font:14px/1.45 -apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#1f2328;"
    "max-width:1200px;margin:1.5em auto;padding:0 1em}"
    "h1{font-size:1.5em;border-bottom:2px solid #d0d7de;padding-bottom:.3em}"
    "h2{font-size:1.25em;border-bottom:1px solid #d0d7de;padding-bottom:.2em;margin-top:1.6em}"
    "h3{font-size:1.1em;margin-top:1.3em}h4{font-size:1em;margin:1.1em 0 .3em}"
    "table{border-collapse:collapse;margin:.5em 0 1em;font-size:.92em}"
    "th,td{border:1px solid #d0d7de;padding:3px 7px;text-align:left;vertical-align:top}"
    "th{background:#f6f8fa}"
    "td.num,th.num{text-align:right}"
    "code{font:.92em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;"
    "background:#f6f8fa;padding:0 3px;border-radius:3px}"
    ".note{border-left:4px solid #9a6700;background:#fff8c5;padding:.4em .8em;margin:.8em 0}"
    ".st{font-weight:600;padding:0 5px;border-radius:3px}"
    ".bad{color:#fff;background:#cf222e}.ok{color:#fff;background:#1a7f37}"
    ".warn{color:#1f2328;background:#d4a72c}.info{color:#1f2328;background:#d0d7de}"
    "tr.bad td:first-child{border-left:4px solid #cf222e}"
    "tr.ok td:first-child{border-left:4px solid #1a7f37}"
    "tr.warn td:first-child{border-left:4px solid #d4a72c}"
    "tr.info td:first-child{border-left:4px solid #d0d7de}"
    ".finding{border:1px solid #d0d7de;border-radius:4px;padding:.2em .9em .4em;margin:.8em 0}"
    ".finding.bad{border-left:5px solid #cf222e}.finding.warn{border-left:5px solid #d4a72c}"
    ".finding.info{border-left:5px solid #8c959f}"
    "@media print{body{font-size:10pt;max-width:none;margin:0}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "h1,h2,h3,h4{break-after:avoid}tr,.finding{break-inside:avoid}"
    "a{color:inherit;text-decoration:none}}";

void
rd_begin(struct rdoc *d, const char *title)
{
	if (d->fmt == RD_HTML) {
		fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n"
		      "<title>",
		      d->fp);
		esc_html(d->fp, title);
		fprintf(d->fp, "</title>\n<style>%s</style>\n</head>\n<body>\n", css);
	}
}

void
rd_end(struct rdoc *d)
{
	if (d->fmt == RD_HTML)
		fputs("</body>\n</html>\n", d->fp);
}

void
rd_h(struct rdoc *d, int level, const char *anchor)
{
	if (level < 1)
		level = 1;
	if (level > 4)
		level = 4;
	if (d->fmt == RD_HTML) {
		if (anchor) {
			fprintf(d->fp, "<h%d id=\"", level);
			esc_html(d->fp, anchor);
			fputs("\">", d->fp);
		} else {
			fprintf(d->fp, "<h%d>", level);
		}
	} else {
		fprintf(d->fp, "%.*s ", level, "####");
	}
}

void
rd_h_end(struct rdoc *d, int level)
{
	if (level < 1)
		level = 1;
	if (level > 4)
		level = 4;
	if (d->fmt == RD_HTML)
		fprintf(d->fp, "</h%d>\n", level);
	else
		fputs("\n\n", d->fp);
}

void
rd_p(struct rdoc *d)
{
	if (d->fmt == RD_HTML)
		fputs("<p>", d->fp);
}

void
rd_p_end(struct rdoc *d)
{
	fputs(d->fmt == RD_HTML ? "</p>\n" : "\n\n", d->fp);
}

void
rd_note(struct rdoc *d)
{
	fputs(d->fmt == RD_HTML ? "<p class=\"note\">" : "> ", d->fp);
}

void
rd_note_end(struct rdoc *d)
{
	fputs(d->fmt == RD_HTML ? "</p>\n" : "\n\n", d->fp);
}

void
rd_box(struct rdoc *d, const char *cls)
{
	if (d->fmt == RD_HTML)
		fprintf(d->fp, "<div class=\"finding %s\">\n", cls ? cls : "info");
}

void
rd_box_end(struct rdoc *d)
{
	if (d->fmt == RD_HTML)
		fputs("</div>\n", d->fp);
}

/* ---- tables ---- */

void
rd_table(struct rdoc *d, unsigned ncols, const char *const *heads, const char *cls)
{
	if (ncols > RD_MAX_COLS)
		ncols = RD_MAX_COLS;
	d->ncols = ncols;
	if (d->fmt == RD_HTML) {
		if (cls)
			fprintf(d->fp, "<table class=\"%s\">\n<thead><tr>", cls);
		else
			fputs("<table>\n<thead><tr>", d->fp);
		for (unsigned i = 0; i < ncols; i++) {
			fputs("<th>", d->fp);
			esc_html(d->fp, heads[i]);
			fputs("</th>", d->fp);
		}
		fputs("</tr></thead>\n<tbody>\n", d->fp);
	} else {
		fputc('|', d->fp);
		for (unsigned i = 0; i < ncols; i++) {
			fputc(' ', d->fp);
			esc_md(d->fp, heads[i]);
			fputs(" |", d->fp);
		}
		fputs("\n|", d->fp);
		for (unsigned i = 0; i < ncols; i++)
			fputs("---|", d->fp);
		fputc('\n', d->fp);
	}
}

void
rd_tr(struct rdoc *d, const char *cls)
{
	d->cell = 0;
	if (d->fmt == RD_HTML) {
		if (cls)
			fprintf(d->fp, "<tr class=\"%s\">", cls);
		else
			fputs("<tr>", d->fp);
	} else {
		fputc('|', d->fp);
	}
}

void
rd_td(struct rdoc *d)
{
	d->in_cell = true;
	fputs(d->fmt == RD_HTML ? "<td>" : " ", d->fp);
}

void
rd_td_end(struct rdoc *d)
{
	d->in_cell = false;
	d->cell++;
	fputs(d->fmt == RD_HTML ? "</td>" : " |", d->fp);
}

void
rd_tr_end(struct rdoc *d)
{
	/* every row has the table's columns, whatever the caller wrote */
	while (d->cell < d->ncols) {
		rd_td(d);
		rd_td_end(d);
	}
	fputs(d->fmt == RD_HTML ? "</tr>\n" : "\n", d->fp);
}

void
rd_table_end(struct rdoc *d)
{
	fputs(d->fmt == RD_HTML ? "</tbody>\n</table>\n" : "\n", d->fp);
	d->ncols = 0;
}

void
rd_cell_txt(struct rdoc *d, const char *s)
{
	rd_td(d);
	rd_txt(d, s);
	rd_td_end(d);
}

void
rd_cell_wire(struct rdoc *d, const char *s)
{
	rd_td(d);
	rd_wire(d, s);
	rd_td_end(d);
}

void
rd_cell_code(struct rdoc *d, const char *s)
{
	rd_td(d);
	rd_code(d, s);
	rd_td_end(d);
}

/* ---- lists ---- */

void
rd_ul(struct rdoc *d)
{
	if (d->fmt == RD_HTML)
		fputs("<ul>\n", d->fp);
}

void
rd_li(struct rdoc *d)
{
	fputs(d->fmt == RD_HTML ? "<li>" : "- ", d->fp);
}

void
rd_li_end(struct rdoc *d)
{
	fputs(d->fmt == RD_HTML ? "</li>\n" : "\n", d->fp);
}

void
rd_ul_end(struct rdoc *d)
{
	fputs(d->fmt == RD_HTML ? "</ul>\n" : "\n", d->fp);
}

/* ---- inline ---- */

void
rd_txt(struct rdoc *d, const char *s)
{
	rd_escape(d->fp, d->fmt, s);
}

void
rd_txtf(struct rdoc *d, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	rd_escape(d->fp, d->fmt, buf);
}

void
rd_wire(struct rdoc *d, const char *s)
{
	if (!s)
		return;
	/* placeholders are no longer than twice what they replace */
	char buf[4096];
	rr_text(d->rr, s, buf, sizeof buf);
	rd_escape(d->fp, d->fmt, buf);
}

void
rd_code(struct rdoc *d, const char *s)
{
	if (!s)
		return;
	if (d->fmt == RD_HTML) {
		fputs("<code>", d->fp);
		esc_html(d->fp, s);
		fputs("</code>", d->fp);
		return;
	}
	/* a code span shows its content raw: only for strings that cannot
	 * break out of it (ours always can't; anything else is escaped text) */
	for (const char *p = s; *p; p++)
		if (*p == '`' || *p == '|' || *p == '<' || *p == '>' || *p == '&' ||
		    (unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f) {
			esc_md(d->fp, s);
			return;
		}
	fprintf(d->fp, "`%s`", s);
}

void
rd_strong(struct rdoc *d, const char *s)
{
	fputs(d->fmt == RD_HTML ? "<strong>" : "**", d->fp);
	rd_txt(d, s);
	fputs(d->fmt == RD_HTML ? "</strong>" : "**", d->fp);
}

void
rd_status(struct rdoc *d, const char *word, const char *cls)
{
	if (d->fmt == RD_HTML) {
		fprintf(d->fp, "<span class=\"st %s\">", cls ? cls : "info");
		esc_html(d->fp, word);
		fputs("</span>", d->fp);
		return;
	}
	const char *mark = !cls			      ? ""
			   : strcmp(cls, "bad") == 0  ? "✗ "
			   : strcmp(cls, "ok") == 0   ? "✓ "
			   : strcmp(cls, "warn") == 0 ? "! "
						      : "";
	fprintf(d->fp, "%s**", mark);
	esc_md(d->fp, word);
	fputs("**", d->fp);
}

void
rd_link(struct rdoc *d, const char *anchor, const char *text)
{
	if (d->fmt == RD_HTML) {
		fputs("<a href=\"#", d->fp);
		esc_html(d->fp, anchor);
		fputs("\">", d->fp);
		esc_html(d->fp, text);
		fputs("</a>", d->fp);
	} else {
		esc_md(d->fp, text);
	}
}
