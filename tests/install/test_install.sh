#!/usr/bin/env bash
# test_install.sh BUILD_DIR SOURCE_DIR
# Installs BUILD_DIR into a scratch prefix, checks every installed piece,
# builds the chef guide's example chef and the eater header's example eater
# against the installed tree with pkg-config only, and loads the chef with
# the installed nd-sniff.
set -euo pipefail
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
p=$tmp/prefix
cmake --install "$build" --prefix "$p" >"$tmp/install.log"
fail() { echo "FAIL: $*"; exit 1; }
for f in bin/nd-hub bin/nd-sniff bin/nd-print bin/nd-hubstatus bin/nd-hubdetails \
         lib/netdumplings/chefs/packetcountchef.so lib/netdumplings/chefs/dnslookupchef.so \
         lib/netdumplings/chefs/arpchef.so lib/netdumplings/libndcommon.a lib/libndeater.a \
         include/netdumplings/chef.h include/netdumplings/packet.h include/netdumplings/eater.h \
         lib/pkgconfig/netdumplings-chef.pc lib/pkgconfig/netdumplings-eater.pc \
         lib/systemd/system/nd-hub.service "lib/systemd/system/nd-sniff@.service" \
         etc/default/nd-hub etc/default/nd-sniff share/netdumplings/web/index.html \
         share/man/man8/nd-hub.8 share/man/man8/nd-sniff.8 share/man/man1/nd-print.1 \
         share/man/man1/nd-hubstatus.1 share/man/man1/nd-hubdetails.1; do
  [ -e "$p/$f" ] || fail "not installed: $f"
done
export PKG_CONFIG_PATH="$p/lib/pkgconfig"

# A chef, from the guide, built with the documented one-liner's pkg-config form.
extra=${ND_EXTRA_CFLAGS:-}
cc $extra -shared -fPIC -fvisibility=hidden -o "$tmp/synchef.so" "$src/tests/chefs/modules/synchef.c" \
   $(pkg-config --cflags --libs netdumplings-chef) 2>"$tmp/cc-chef.log" \
   || { cat "$tmp/cc-chef.log"; fail "the example chef does not build against the install"; }
chmod go-w "$tmp" "$tmp/synchef.so"
"$p/bin/nd-sniff" -l -m "$tmp/synchef.so" >"$tmp/list.txt" 2>&1 \
   || { cat "$tmp/list.txt"; fail "installed nd-sniff cannot list the example chef"; }
grep -q "SynChef\|synchef" "$tmp/list.txt" || { cat "$tmp/list.txt"; fail "example chef not listed"; }
"$p/bin/nd-sniff" -l -m "$p/lib/netdumplings/chefs" >"$tmp/list2.txt" 2>&1
for chef in PacketCountChef DNSLookupChef ARPChef; do
  grep -q "$chef" "$tmp/list2.txt" || fail "installed chefs lack $chef"
done

# An eater: the complete example from eater.h, verbatim.
awk '/^ \*   #include "eater.h"/ {on=1} /^ \* Build:/ {on=0} on' "$p/include/netdumplings/eater.h" \
  | sed -e 's/^ \*   //' -e 's/^ \*$//' >"$tmp/eater_example.c"
grep -q "nd_eater_new" "$tmp/eater_example.c" || fail "cannot extract the example from eater.h"
cc $extra -o "$tmp/eater_example" "$tmp/eater_example.c" $(pkg-config --cflags --libs netdumplings-eater) \
   2>"$tmp/cc-eater.log" || { cat "$tmp/cc-eater.log"; fail "the example eater does not build"; }
# With no hub there, it keeps retrying (timeout's 124) or gives up (1),
# and never crashes.
set +e
timeout 2 "$tmp/eater_example" >/dev/null 2>&1
rc=$?
set -e
case $rc in 1|124) ;; *) fail "the example eater exited $rc with no hub" ;; esac
echo "PASS: install tree complete; example chef and eater build against it"
