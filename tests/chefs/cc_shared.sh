#!/bin/sh
# cc_shared.sh CC SOURCE_DIR LIBNDCOMMON TEST_BINARY [CFLAGS...]
# Builds the example chef (modules/synchef.c) with the plain `cc -shared`
# line given in docs/writing-a-chef.md, into a fresh temporary directory,
# and runs its test against that module.
set -eu
cc=$1 src=$2 lib=$3 testbin=$4
shift 4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM
# shellcheck disable=SC2046 # pkg-config output is meant to be split
"$cc" -shared -fPIC -fvisibility=hidden "$@" -I "$src/common" \
    -o "$dir/synchef.so" "$src/tests/chefs/modules/synchef.c" \
    "$lib" -Wl,--exclude-libs,ALL $(pkg-config --cflags --libs jansson)
"$testbin" "$dir/synchef.so"
