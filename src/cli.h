/* cli.h - command-line options. */
#ifndef IKELENS_CLI_H
#define IKELENS_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum out_mode { OUT_TEXT = 0, OUT_JSON, OUT_REPORT_MD, OUT_REPORT_HTML, OUT_TUI };
enum color_mode { COLOR_AUTO = 0, COLOR_ALWAYS, COLOR_NEVER };

#define CLI_MAX_FILES 256
#define CLI_MAX_KEYS 32

struct cli {
	enum out_mode mode;
	bool verbose; /* -V: full payload tree */
	bool sa_only; /* --sa: tunnel blocks and findings only */
	bool quiet;   /* -q: no summary line on stderr */
	enum color_mode color;
	const char *iface; /* -i */
	const char *bpf;   /* filter after -i IFACE */
	int snaplen;
	uint64_t count;		     /* -c: stop after N frames (0 = all) */
	const char *write_file;	     /* -w */
	const char *write_decrypted; /* --write-decrypted */
	const char *files[CLI_MAX_FILES];
	unsigned nfiles;
	const char *keys[CLI_MAX_KEYS];
	unsigned nkeys;
	const char *psk; /* --psk (discouraged: visible in ps) */
	const char *psk_file;
	bool redact;	       /* --redact (reports) */
	unsigned idle_timeout; /* --idle-timeout SECONDS */
	bool absolute_time;    /* -tttt style: absolute UTC times in text */
};

/* Parses argv; on a usage error prints one line to stderr and returns 2;
 * returns 1 when --help/--version was handled (exit 0), else 0. */
int cli_parse(int argc, char **argv, struct cli *c);
void cli_usage(FILE *out);

#endif
