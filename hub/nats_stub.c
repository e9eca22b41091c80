/*
 * nats_stub.c: the NATS bridge's API when nd-hub is built without libnats.
 * --nats is refused at start with a message saying so; everything else is
 * a no-op.
 */
#include "hub.h"

#include "log.h"

#include <errno.h>

int hub_nats_start(struct hub *h)
{
	if (!h->conf.nats.urls)
		return 0;
	nd_error("nats", "this nd-hub was built without NATS support (libnats-dev was not found)");
	return -ENOTSUP;
}

void hub_nats_stop(struct hub *h)
{
	(void)h;
}

void hub_nats_fini(struct hub *h)
{
	(void)h;
}

void hub_nats_publish(struct hub *h, const struct hub_msg *m)
{
	(void)h;
	(void)m;
}

bool hub_nats_eater_hello(struct hub *h, struct hub_eater *e, const json_t *hello)
{
	(void)h;
	(void)e;
	(void)hello;
	return false;
}

void hub_nats_eater_gone(struct hub *h, struct hub_eater *e)
{
	(void)h;
	(void)e;
}

char *hub_nats_metrics(struct hub *h)
{
	(void)h;
	return NULL;
}

void hub_nats_status(struct hub *h, json_t *payload)
{
	(void)h;
	(void)payload;
}
