/*
 * proto.h: the facts of netdumplings' wire protocol, in one place.
 *
 * These values are netdumplings' own and must stay compatible with its
 * Python hub, kitchens and eaters.  Our extensions are additive JSON keys
 * (listed at the end), which netdumplings' peers ignore.
 */
#ifndef ND_PROTO_H
#define ND_PROTO_H

#define ND_DEFAULT_HOST "localhost"
#define ND_DEFAULT_IN_PORT 11347   /* kitchens connect here */
#define ND_DEFAULT_OUT_PORT 11348  /* eaters connect here */
#define ND_DEFAULT_STATUS_FREQ 5   /* seconds between hub status dumplings */
#define ND_DEFAULT_POKE_INTERVAL 5 /* seconds between interval pokes */
#define ND_DEFAULT_FILTER "tcp or udp or arp"

/* WebSocket close codes. */
#define ND_CLOSE_CANCELLED 4101   /* "connection cancelled" */
#define ND_CLOSE_EATER_FULL 4102  /* "dumpling eater is full" */
/* Ours: an eater stayed full past its allowance and was disconnected. */
#define ND_CLOSE_EATER_TOO_SLOW 4103
/* Ours: the first message was not a valid registration/hello. */
#define ND_CLOSE_BAD_HELLO 4104

/* The hub's own status dumplings come from this chef. */
#define ND_STATUS_CHEF "SystemStatusChef"

/* Dumpling envelope keys. */
#define ND_KEY_METADATA "metadata"
#define ND_KEY_PAYLOAD "payload"
#define ND_KEY_CHEF "chef"
#define ND_KEY_KITCHEN "kitchen"
#define ND_KEY_CREATION_TIME "creation_time"
#define ND_KEY_DRIVER "driver"
#define ND_DRIVER_NAME_PACKET "packet"
#define ND_DRIVER_NAME_INTERVAL "interval"

/* A kitchen's first message. */
#define ND_KEY_KITCHEN_NAME "kitchen_name"
#define ND_KEY_INTERFACE "interface"
#define ND_KEY_FILTER "filter"
#define ND_KEY_CHEFS "chefs"
#define ND_KEY_POKE_INTERVAL "poke_interval"

/* An eater's first message. */
#define ND_KEY_EATER_NAME "eater_name"

/* Additive extensions (ours). */
#define ND_KEY_SEQ "seq"           /* metadata: per-kitchen sequence number */
#define ND_KEY_KITCHEN_START "kitchen_start" /* metadata: kitchen start id */
#define ND_KEY_FILTER_CHEFS "chefs"       /* eater hello: only these chefs */
#define ND_KEY_FILTER_KITCHENS "kitchens" /* eater hello: only these kitchens */
/* eater hello: replay this many seconds of a hub's NATS stream, then live */
#define ND_KEY_REPLAY_SECONDS "replay_seconds"

#endif
