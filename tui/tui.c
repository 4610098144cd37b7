/* tui.c - the ncurses screen (being written). */
#include <stdio.h>

#include "config.h"
#include "tui/tui.h"

int
tui_run(const struct cli *c, struct kx_store *keys)
{
	(void)c;
	(void)keys;
	fputs("ikelens: --tui is not available in this build\n", stderr);
	return 2;
}
