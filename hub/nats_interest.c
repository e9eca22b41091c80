/*
 * nats_interest.c: which dumplings a hub asks NATS for, from what its
 * eaters asked for.
 *
 *   no eater (or only replaying ones)      nothing
 *   some eater without a "kitchens" filter netdumplings.>
 *   every eater filters by kitchen         netdumplings.<kitchen>.> for
 *                                          each kitchen named
 *
 * Chef filters do not narrow the subscriptions: a hub always receives
 * every dumpling of a kitchen it subscribes to, so that its gap count for
 * that kitchen (remote_kitchens[].seq.missing) stays exact.  Eaters'
 * filters are still applied to each dumpling by the fan-out.
 *
 * Changes apply at once (a subscribe or unsubscribe is one protocol line,
 * no round trip): new subjects are subscribed before old ones go, so
 * nothing wanted is missed, and when the two overlap (netdumplings.>
 * against one kitchen's) a dumpling may arrive twice for a moment; for
 * COPY_WINDOW_MS after a change a numbered dumpling at or below its
 * kitchen's last seq is dropped as a copy.  A kitchen that becomes
 * subscribed again is re-based (what it sent while nobody here wanted it
 * is not counted missing).
 */
#include "nats_priv.h"

#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COPY_WINDOW_MS 5000
#define SUB_PENDING_MSGS 65536
#define SUB_PENDING_BYTES (64 << 20)

static void on_live(natsConnection *nc, natsSubscription *sub, natsMsg *m, void *closure)
{
	(void)nc;
	(void)sub;
	nats_handoff(closure, m, NATS_TAG_LIVE);
}

static bool eater_counts(const struct hub_eater *e, const struct hub_eater *leaving)
{
	return e != leaving && e->p.registered && !e->p.closing && !e->nats_fed;
}

static bool add_subject(struct nats_interest *v, size_t *n, const char *kitchen)
{
	char subj[sizeof(v->subject)];
	size_t o;

	o = (size_t)snprintf(subj, sizeof(subj), "%s.", NATS_SUBJECT_PREFIX);
	if (kitchen) {
		o += nats_put_token(subj + o, sizeof(subj) - o, kitchen);
		snprintf(subj + o, sizeof(subj) - o, ".>");
	} else {
		snprintf(subj + o, sizeof(subj) - o, ">");
	}
	for (size_t i = 0; i < *n; i++)
		if (strcmp(v[i].subject, subj) == 0)
			return true;
	if (*n == NATS_MAX_INTERESTS)
		return false;
	snprintf(v[*n].subject, sizeof(v[*n].subject), "%s", subj);
	v[*n].sub = NULL;
	(*n)++;
	return true;
}

/* The wanted subjects, into v (NATS_MAX_INTERESTS entries). */
static size_t wanted(struct hub_nats *n, const struct hub_eater *leaving, struct nats_interest *v)
{
	struct hub_list *pos, *tmp;
	size_t count = 0;

	hub_list_foreach_safe(pos, tmp, &n->h->eaters) {
		struct hub_eater *e = hub_container_of(pos, struct hub_eater, p.link);
		const json_t *k;
		size_t i;

		if (!eater_counts(e, leaving))
			continue;
		if (!e->kitchens || !json_array_size(e->kitchens))
			goto everything;
		json_array_foreach(e->kitchens, i, k) {
			if (!add_subject(v, &count, json_string_value(k)))
				goto everything;
		}
	}
	return count;
everything:
	count = 0;
	add_subject(v, &count, NULL);
	return count;
}

static bool has(const struct nats_interest *v, size_t n, const char *subject)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].subject, subject) == 0)
			return true;
	return false;
}

/* Re-bases the gap trackers of kitchens that subject newly covers. */
static void rebase(struct hub_nats *n, const char *subject)
{
	size_t plen = strlen(NATS_SUBJECT_PREFIX) + 1;
	char tok[NATS_TOKEN_MAX];

	for (size_t i = 0; i < n->n_rk; i++) {
		struct hub_seqtrack *t = &n->rk[i].t;

		nats_put_token(tok, sizeof(tok), n->rk[i].name);
		if (strcmp(subject + plen, ">") == 0 ||
		    (strncmp(subject + plen, tok, strlen(tok)) == 0 &&
		     strcmp(subject + plen + strlen(tok), ".>") == 0))
			t->tracking = false; /* counters stay; the next seq is the new base */
	}
}

static natsSubscription *subscribe(struct hub_nats *n, const char *subject)
{
	natsSubscription *sub = NULL;

	if (!n->l.nc || natsConnection_Subscribe(&sub, n->l.nc, subject, on_live, n) != NATS_OK) {
		nd_warn("nats", "cannot subscribe to %s: %s", subject, nats_GetLastError(NULL) ? nats_GetLastError(NULL) : "");
		natsSubscription_Destroy(sub);
		return NULL;
	}
	natsSubscription_SetPendingLimits(sub, SUB_PENDING_MSGS, SUB_PENDING_BYTES);
	nats_track_sub(n, sub);
	return sub;
}

static void drop(struct nats_interest *it)
{
	if (it->sub) {
		natsSubscription_Unsubscribe(it->sub);
		natsSubscription_Destroy(it->sub);
	}
	it->sub = NULL;
}

void nats_interest_update(struct hub_nats *n, const struct hub_eater *leaving)
{
	struct nats_interest *want;
	size_t nw, kept = 0;
	bool added = false, removed = false;

	if (!n || n->stopped)
		return;
	if (!n->interests) {
		n->interests = calloc(NATS_MAX_INTERESTS, sizeof(*n->interests));
		if (!n->interests)
			return;
	}
	want = calloc(NATS_MAX_INTERESTS, sizeof(*want));
	if (!want)
		return;
	nw = wanted(n, leaving, want);
	for (size_t i = 0; i < nw; i++) {
		if (has(n->interests, n->n_interests, want[i].subject))
			continue;
		want[i].sub = subscribe(n, want[i].subject);
		rebase(n, want[i].subject);
		added = true;
	}
	for (size_t i = 0; i < n->n_interests; i++) {
		struct nats_interest *it = &n->interests[i];

		if (has(want, nw, it->subject)) {
			for (size_t j = 0; j < nw; j++)
				if (strcmp(want[j].subject, it->subject) == 0)
					want[j].sub = it->sub;
			kept++;
		} else {
			drop(it);
			removed = true;
		}
	}
	memcpy(n->interests, want, nw * sizeof(*want));
	n->n_interests = nw;
	free(want);
	if (!added && !removed)
		return;
	n->interest_changes++;
	if (added && (removed || kept))
		n->copies_until_ms = hub_now_ms(n->h) + COPY_WINDOW_MS;
	if (nw == 0)
		nd_info("nats", "no eater wants other hubs' dumplings: unsubscribed");
	else
		nd_info("nats", "subscribed to %s%s", n->interests[0].subject,
			nw > 1 ? " and more (one subject per kitchen eaters asked for)" : "");
}

void nats_interest_resubscribe(struct hub_nats *n)
{
	for (size_t i = 0; i < n->n_interests; i++) {
		drop(&n->interests[i]);
		n->interests[i].sub = subscribe(n, n->interests[i].subject);
	}
}

bool nats_interest_is_copy(struct hub_nats *n, const struct nats_rkitchen *r,
			   const struct hub_jscan *v)
{
	size_t sl;

	if (!n->copies_until_ms || hub_now_ms(n->h) > n->copies_until_ms)
		return false;
	if (!v->has_seq || !v->kitchen_start.p || !r->t.tracking || v->seq > r->t.last)
		return false;
	sl = v->kitchen_start.n < HUB_SEQ_START_MAX - 1 ? v->kitchen_start.n : HUB_SEQ_START_MAX - 1;
	if (strlen(r->t.start) != sl || memcmp(r->t.start, v->kitchen_start.p, sl) != 0)
		return false;
	n->copies_dropped++;
	return true;
}

void nats_interest_fini(struct hub_nats *n)
{
	for (size_t i = 0; n->interests && i < n->n_interests; i++)
		drop(&n->interests[i]);
	n->n_interests = 0;
	free(n->interests);
	n->interests = NULL;
}

json_t *nats_interest_status(struct hub_nats *n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n->n_interests; i++)
		json_array_append_new(a, json_string(n->interests[i].subject));
	return a;
}
