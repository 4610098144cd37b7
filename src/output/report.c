/* report.c - Markdown/HTML report (being written). */
#include <stdlib.h>

#include "src/output/out.h"

struct out *
out_report_new(FILE *fp, const struct cli *c)
{
	return out_text_new(fp, c);
}
