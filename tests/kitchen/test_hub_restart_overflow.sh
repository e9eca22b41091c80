#!/usr/bin/env bash
# test_hub_restart_overflow.sh: the hub stays away longer than the queue
# (20 dumplings) lasts: the oldest are dropped, counted exactly, and the
# rest arrive in order.
QUEUE=20
. "$ND_TESTDIR/hub_restart.inc"
[ "$DROPPED" -gt 0 ] || fail "nothing was dropped with a queue of $QUEUE over a 2 s outage"
echo PASS
