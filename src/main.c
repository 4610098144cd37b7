/*
 * main.c - ikelens: where an IPsec negotiation stalled, and why.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "src/analyze.h"
#include "src/capture/capture.h"
#include "src/cli.h"
#include "src/decrypt/kx.h"
#include "src/keys/keys.h"
#include "src/output/out.h"
#include "tui/tui.h"

static struct cap *volatile live_cap;

static void
on_signal(int sig)
{
	(void)sig;
	if (live_cap)
		cap_break(live_cap);
}

static int
input_error(const char *msg)
{
	fprintf(stderr, "ikelens: %s\n", msg);
	return 2;
}

int
main(int argc, char **argv)
{
	struct cli cli;
	int rc = cli_parse(argc, argv, &cli);
	if (rc == 1)
		return 0;
	if (rc != 0)
		return 2;

	/* stdout is a pipe more often than not: write in large blocks */
	static char obuf[1 << 16];
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);

	struct kx_store *keys = NULL;
	if (cli.nkeys || cli.psk || cli.psk_file) {
		char err[512];
		keys = keys_load(&cli, err, sizeof err);
		if (!keys)
			return input_error(err);
	}

	if (cli.mode == OUT_TUI)
		return tui_run(&cli, keys);

	struct out *out = NULL;
	switch (cli.mode) {
	case OUT_JSON:
		out = out_json_new(stdout, &cli);
		break;
	case OUT_REPORT_MD:
	case OUT_REPORT_HTML:
		out = out_report_new(stdout, &cli);
		break;
	default:
		out = out_text_new(stdout, &cli);
		break;
	}
	if (!out)
		return input_error("out of memory");
	struct analysis *an = an_new(&cli, &out, 1);
	if (!an)
		return input_error("out of memory");
	if (keys)
		an_set_keys(an, keys);
	if (cli.write_decrypted) {
		char werr[512];
		if (!keys) {
			an_free(an);
			out->ops->free(out);
			return input_error(
			    "--write-decrypted needs key material (--keys, --psk-file)");
		}
		if (an_write_decrypted(an, cli.write_decrypted, werr, sizeof werr) != 0) {
			an_free(an);
			out->ops->free(out);
			keys_free(keys);
			return input_error(werr);
		}
	}

	struct cap_limits lim = {0, 0, 0};
	char err[512];
	int status = 0;
	bool input_failed = false;

	if (cli.iface) {
		struct cap *c =
		    cap_open_live(cli.iface, cli.bpf, cli.snaplen, &lim, err, sizeof err);
		if (!c) {
			an_free(an);
			out->ops->free(out);
			return input_error(err);
		}
		if (cli.write_file && cap_dump_open(c, cli.write_file, err, sizeof err) != 0) {
			cap_close(c);
			an_free(an);
			out->ops->free(out);
			return input_error(err);
		}
		live_cap = c;
		an_set_live(an, true);
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		if (cap_loop(c, an_handler(an), cli.count, err, sizeof err) < 0) {
			fprintf(stderr, "ikelens: %s\n", err);
			input_failed = true;
		}
		struct cap_stats st;
		cap_stats(c, &st);
		an_add_stats(an, &st);
		live_cap = NULL;
		cap_close(c);
	} else {
		uint64_t left = cli.count;
		unsigned opened = 0;
		for (unsigned i = 0; i < cli.nfiles; i++) {
			struct cap *c = cap_open_file(cli.files[i], i, &lim, err, sizeof err);
			if (!c) {
				fprintf(stderr, "ikelens: %s\n", err);
				input_failed = true;
				continue;
			}
			opened++;
			if (cli.write_file &&
			    cap_dump_open(c, cli.write_file, err, sizeof err) != 0) {
				fprintf(stderr, "ikelens: %s\n", err);
				cap_close(c);
				input_failed = true;
				break;
			}
			int r = cap_loop(c, an_handler(an), left, err, sizeof err);
			if (r < 0) {
				fprintf(stderr, "ikelens: %s\n", err);
				input_failed = true;
			}
			struct cap_stats st;
			cap_stats(c, &st);
			an_add_stats(an, &st);
			cap_close(c);
			if (cli.count) {
				left = st.frames >= left ? 0 : left - st.frames;
				if (left == 0)
					break;
			}
		}
		if (opened == 0) {
			/* nothing was read: no empty analysis after the error */
			an_free(an);
			out->ops->free(out);
			if (keys) {
				kx_rt_free(keys);
				keys_free(keys);
			}
			return 2;
		}
	}
	status = an_finish(an);
	an_free(an);
	out->ops->free(out);
	if (keys) {
		kx_rt_free(keys);
		keys_free(keys);
	}
	if (fflush(stdout) != 0 && errno != EPIPE)
		return input_error("cannot write the output");
	return input_failed ? 2 : status;
}
