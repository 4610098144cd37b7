/* cli.c - command-line parsing and --help. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "dissect/vendor.h"
#include "src/cli.h"

void
cli_usage(FILE *out)
{
	fputs(
	    "usage: ikelens [options] FILE...          read captures (pcap, pcapng; '-' = stdin)\n"
	    "       ikelens [options] -i IFACE [BPF]   capture live\n"
	    "\n"
	    "Dissects ISAKMP/IKEv1, IKEv2, ESP and AH, rebuilds every negotiation, names the\n"
	    "state each peer is in and explains where and why a tunnel stalled.\n"
	    "\n"
	    "output:\n"
	    "  (default)        one line per IKE/ESP packet, then one block per tunnel\n"
	    "  -V               full payload tree under each packet line\n"
	    "  --sa             tunnel blocks and findings only\n"
	    "  --json           NDJSON records (packet, anomaly, ike_sa, esp_flow, finding)\n"
	    "  --report md|html a report for a support ticket\n"
	    "  --redact         with --report: replace addresses and identities consistently\n"
	    "  --tui            the interactive screen (ncurses)\n"
	    "  --color=WHEN     auto (default), always, never\n"
	    "  -t, --utc        absolute UTC times instead of seconds since the first packet\n"
	    "  -q               no summary on stderr\n"
	    "\n"
	    "input:\n"
	    "  -i IFACE         live capture; a BPF expression may follow the options\n"
	    "  -s SNAPLEN       live snap length (default 65535)\n"
	    "  -c COUNT         stop after COUNT frames\n"
	    "  -w FILE          write the IKE/ESP/AH frames that matched to FILE (pcap)\n"
	    "  --idle-timeout S close an IKE SA after S seconds without traffic (default 3600)\n"
	    "\n"
	    "keys (never printed):\n"
	    "  --keys FILE      key material, format recognised from content (repeatable):\n"
	    "                   Wireshark ikev1_decryption_table, ikev2_decryption_table,\n"
	    "                   esp_sa; strongSwan charon logs; ip xfrm state; native file\n"
	    "  --psk-file FILE  pre-shared keys, one per line: [ADDRESS|ID] SECRET\n"
	    "  --psk SECRET     a pre-shared key (visible to other users in ps; prefer --psk-file)\n"
	    "  --write-decrypted FILE  write decrypted inner packets (pcap, raw IP)\n"
	    "\n"
	    "  -n               no name resolution (always; accepted for habit)\n"
	    "  -h, --help       this text\n"
	    "  --version        version and build facts\n"
	    "\n"
	    "exit status: 0 all negotiations fine; 1 a finding of severity error, or an\n"
	    "IKE SA or phase 2 failed or stalled; 2 usage or input error.\n",
	    out);
}

enum {
	OPT_SA = 256,
	OPT_JSON,
	OPT_REPORT,
	OPT_TUI,
	OPT_COLOR,
	OPT_KEYS,
	OPT_PSK,
	OPT_PSK_FILE,
	OPT_VERSION,
	OPT_WDEC,
	OPT_REDACT,
	OPT_IDLE,
};

static int
usage_error(const char *fmt, const char *arg)
{
	fputs("ikelens: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" (see ikelens --help)\n", stderr);
	return 2;
}

int
cli_parse(int argc, char **argv, struct cli *c)
{
	static const struct option longopts[] = {
	    {"sa", no_argument, NULL, OPT_SA},
	    {"json", no_argument, NULL, OPT_JSON},
	    {"report", required_argument, NULL, OPT_REPORT},
	    {"tui", no_argument, NULL, OPT_TUI},
	    {"color", optional_argument, NULL, OPT_COLOR},
	    {"colour", optional_argument, NULL, OPT_COLOR},
	    {"keys", required_argument, NULL, OPT_KEYS},
	    {"psk", required_argument, NULL, OPT_PSK},
	    {"psk-file", required_argument, NULL, OPT_PSK_FILE},
	    {"write-decrypted", required_argument, NULL, OPT_WDEC},
	    {"redact", no_argument, NULL, OPT_REDACT},
	    {"idle-timeout", required_argument, NULL, OPT_IDLE},
	    {"utc", no_argument, NULL, 't'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, OPT_VERSION},
	    {NULL, 0, NULL, 0},
	};
	int ch;
	char *end;

	memset(c, 0, sizeof *c);
	c->snaplen = 65535;
	c->idle_timeout = 0;
	opterr = 0;
	/* options may follow the files (GNU permutation); with -i the
	 * non-option words are the BPF expression */
	while ((ch = getopt_long(argc, argv, "hnVqti:s:c:w:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			cli_usage(stdout);
			return 1;
		case OPT_VERSION:
			printf("ikelens %s (%zu vendor IDs known)\n", IKELENS_VERSION, vid_count());
			return 1;
		case 'n':
			break;
		case 'V':
			c->verbose = true;
			break;
		case 'q':
			c->quiet = true;
			break;
		case 't':
			c->absolute_time = true;
			break;
		case 'i':
			c->iface = optarg;
			break;
		case 's': {
			long v = strtol(optarg, &end, 10);
			if (*end || v < 64 || v > 262144)
				return usage_error("-s %s: the snap length must be 64..262144",
						   optarg);
			c->snaplen = (int)v;
			break;
		}
		case 'c': {
			unsigned long long v = strtoull(optarg, &end, 10);
			if (*end || v == 0)
				return usage_error("-c %s: give a positive frame count", optarg);
			c->count = v;
			break;
		}
		case 'w':
			c->write_file = optarg;
			break;
		case OPT_SA:
			c->sa_only = true;
			break;
		case OPT_JSON:
			c->mode = OUT_JSON;
			break;
		case OPT_REPORT:
			if (strcmp(optarg, "md") == 0 || strcmp(optarg, "markdown") == 0)
				c->mode = OUT_REPORT_MD;
			else if (strcmp(optarg, "html") == 0)
				c->mode = OUT_REPORT_HTML;
			else
				return usage_error("--report %s: choose md or html", optarg);
			break;
		case OPT_TUI:
			c->mode = OUT_TUI;
			break;
		case OPT_COLOR:
			if (!optarg || strcmp(optarg, "always") == 0)
				c->color = COLOR_ALWAYS;
			else if (strcmp(optarg, "never") == 0)
				c->color = COLOR_NEVER;
			else if (strcmp(optarg, "auto") == 0)
				c->color = COLOR_AUTO;
			else
				return usage_error("--color=%s: choose auto, always or never",
						   optarg);
			break;
		case OPT_KEYS:
			if (c->nkeys >= CLI_MAX_KEYS)
				return usage_error("--keys %s: too many key files", optarg);
			c->keys[c->nkeys++] = optarg;
			break;
		case OPT_PSK:
			c->psk = optarg;
			break;
		case OPT_PSK_FILE:
			c->psk_file = optarg;
			break;
		case OPT_WDEC:
			c->write_decrypted = optarg;
			break;
		case OPT_REDACT:
			c->redact = true;
			break;
		case OPT_IDLE: {
			unsigned long v = strtoul(optarg, &end, 10);
			if (*end || v == 0 || v > 86400 * 30)
				return usage_error("--idle-timeout %s: give seconds (1..2592000)",
						   optarg);
			c->idle_timeout = (unsigned)v;
			break;
		}
		case '?':
		default:
			if (optopt && optopt < 256)
				return usage_error("unknown option -%c", (char[]){(char)optopt, 0});
			return usage_error("unknown option %s", argv[optind - 1]);
		}
	}
	if (c->iface) {
		/* everything after the options is the BPF expression */
		static char bpf[4096];
		size_t o = 0;
		for (int i = optind; i < argc; i++) {
			int w = snprintf(bpf + o, sizeof bpf - o, "%s%s", o ? " " : "", argv[i]);
			if (w < 0 || (size_t)w >= sizeof bpf - o)
				return usage_error("%s: the filter expression is too long",
						   argv[i]);
			o += (size_t)w;
		}
		c->bpf = o ? bpf : NULL;
	} else {
		for (int i = optind; i < argc; i++) {
			if (c->nfiles >= CLI_MAX_FILES)
				return usage_error("%s: too many input files", argv[i]);
			c->files[c->nfiles++] = argv[i];
		}
		if (c->nfiles == 0)
			return usage_error(
			    "%s", "no capture file given (or -i IFACE for a live capture)");
	}
	if (c->write_file && c->nfiles > 1)
		return usage_error("%s", "-w takes one input (the frames keep their link type)");
	if (c->psk && c->psk_file)
		return usage_error("%s", "--psk and --psk-file: give one of them");
	if (c->redact && c->mode != OUT_REPORT_MD && c->mode != OUT_REPORT_HTML)
		return usage_error("%s", "--redact applies to --report md|html only");
	if (c->sa_only && c->mode == OUT_JSON)
		return usage_error("%s", "--sa and --json: JSON already separates records by type");
	return 0;
}
