#!/usr/bin/env bash
# check_man.sh PROGRAM MANPAGE
# Fails when a flag shown by `PROGRAM --help` is missing from MANPAGE, when
# the page has no EXIT STATUS section or no --version, or when groff warns.
set -euo pipefail
prog=$1 page=$2
[ -s "$page" ] || { echo "no man page at $page"; exit 1; }
help=$(ASAN_OPTIONS=detect_leaks=0 "$prog" --help)
# Man pages escape '-' as '\-'; undo that and drop font changes.
text=$(sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\f\[[A-Z]*\]//g' -e 's#\\/##g' -e 's#\\,##g' "$page")
missing=0
flags=$(grep -oE '(^|[[:space:],/\[])--?[A-Za-z][A-Za-z0-9-]*' <<<"$help" \
        | sed -E 's/^[[:space:],/\[]//' | sort -u)
[ -n "$flags" ] || { echo "no flags found in --help output"; exit 1; }
for f in $flags; do
  if ! grep -qF -- "$f" <<<"$text"; then
    echo "man page lacks $f"; missing=1
  fi
done
grep -q '^\.SH "\?EXIT STATUS' "$page" || { echo "man page has no EXIT STATUS section"; missing=1; }
grep -qF -- "--version" <<<"$text" || { echo "man page lacks --version"; missing=1; }
if command -v groff >/dev/null 2>&1; then
  warn=$(groff -man -ww -z "$page" 2>&1 || true)
  [ -z "$warn" ] || { echo "groff warnings:"; echo "$warn"; missing=1; }
fi
[ $missing -eq 0 ] && echo "$(basename "$page"): $(wc -w <<<"$flags") flags documented"
exit $missing
