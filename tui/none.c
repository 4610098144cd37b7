/* none.c - --tui in a build without ncursesw. */
#include <stdio.h>

#include "config.h"
#include "src/decrypt/kx.h"
#include "src/keys/keys.h"
#include "tui/tui.h"

int
tui_run(const struct cli *c, struct kx_store *keys)
{
	(void)c;
	if (keys) {
		kx_rt_free(keys);
		keys_free(keys);
	}
	fputs("ikelens: --tui is not available in this build (it was built without ncursesw)\n",
	      stderr);
	return 2;
}
