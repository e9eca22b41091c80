/*
 * printer.c: nd-print's two output forms.  See printer.h.
 */
#include "printer.h"

#include "pretty.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BOLD "\x1b[1m"
#define RESET "\x1b[0m"

char *printer_iso_time(double t, char *buf, size_t size)
{
	double whole = floor(t);
	long usec = lround((t - whole) * 1e6);
	time_t secs = (time_t)whole;
	struct tm tm;
	size_t n;

	if (usec >= 1000000) {
		secs++;
		usec -= 1000000;
	}
	if (!localtime_r(&secs, &tm)) {
		snprintf(buf, size, "%.6f", t);
		return buf;
	}
	n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	if (usec && n < size)
		snprintf(buf + n, size - n, ".%06ld", usec);
	return buf;
}

void printer_connected(const struct printer *p, const char *url)
{
	if (p->json)
		return;
	fprintf(p->out, "Connected to nd-hub at %s\nWaiting for dumplings...\n\n", url);
	fflush(p->out);
}

int printer_dumpling(const struct printer *p, const struct nd_eater_dumpling *d)
{
	const struct nd_dumpling_view *v = &d->view;
	char when[64];
	const char *b = p->color ? BOLD : "", *r = p->color ? RESET : "";

	if (p->json) {
		fwrite(d->text, 1, d->len, p->out);
		fputc('\n', p->out);
	} else {
		printer_iso_time(v->creation_time, when, sizeof(when));
		fprintf(p->out, "%s [%-8s] %s%s%s from %s%s%s\n", when,
			v->driver == ND_DRIVER_PACKET ? "packet" : "interval", b, v->chef, r, b,
			v->kitchen ? v->kitchen : "None", r);
		if (p->payload) {
			char *s = nd_eater_pretty(v->payload, p->color);

			if (!s)
				return -ENOMEM;
			fprintf(p->out, "\n%s\n\n", s);
			free(s);
		}
	}
	fflush(p->out);
	return ferror(p->out) ? -EIO : 0;
}
