/* ladder.h - a message in the words of a ladder row, for the text output
 * and the report. */
#ifndef IKELENS_LADDER_H
#define IKELENS_LADDER_H

#include <stddef.h>

#include "src/track/track.h"

/* "SA offer, KE, Ni, N(NAT_DETECTION...)" / "[encrypted, IDi first]" /
 * "fragment 2/3 [encrypted]": what the message carried, as far as it is
 * visible.  Always NUL-terminated; cut at len. */
void ladder_what(const struct tk_sa *sa, const struct tk_msg *m, char *buf, size_t len);

#endif
