/*
 * details.c: nd-hubdetails's output.  See details.h.
 */
#include "details.h"

#include "pretty.h"

#include <errno.h>
#include <stdlib.h>

void details_connected(const struct details *d, const char *url)
{
	if (d->json)
		return;
	fprintf(d->out, "Connected to nd-hub at %s\nWaiting for a SystemStatus dumpling...\n", url);
	fflush(d->out);
}

int details_print(const struct details *d, const struct nd_eater_dumpling *dumpling)
{
	if (d->json) {
		fwrite(dumpling->text, 1, dumpling->len, d->out);
		fputc('\n', d->out);
	} else {
		char *s = nd_eater_pretty(dumpling->view.payload, d->color);

		if (!s)
			return -ENOMEM;
		fprintf(d->out, "\n%s\n\n", s);
		free(s);
	}
	fflush(d->out);
	return ferror(d->out) ? -EIO : 0;
}
