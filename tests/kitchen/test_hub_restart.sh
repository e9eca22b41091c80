#!/usr/bin/env bash
# test_hub_restart.sh: the hub restarts mid-replay; with a queue big enough
# for the outage, every dumpling made while it was down arrives, in order.
QUEUE=100000
. "$ND_TESTDIR/hub_restart.inc"
[ "$DROPPED" -eq 0 ] || fail "dropped $DROPPED with a queue of $QUEUE"
echo PASS
