#!/bin/sh
# quickstart.sh — installs what is missing, builds Sésame and starts it on a
# local store. An empty store is first filled from a generated demo
# directory, so that there is something to look at.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${SESAME_BUILDDIR:-"$top/_build"}
store=${SESAME_STORE:-"${XDG_DATA_HOME:-$HOME/.local/share}/sesame/sesame.db"}

"$top/build-aux/install-deps.sh"

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$top"
fi
ninja -C "$builddir"

sesamectl="$builddir/src/sesamectl/sesamectl"

if [ ! -s "$store" ] || [ "$("$sesamectl" --store "$store" files list --json | tr -d ' \n')" = "[]" ]; then
  demo=$(mktemp -d)
  trap 'rm -rf "$demo"' EXIT
  echo "Importing a demo directory into $store"
  "$builddir/tools/sesame-make-directory" --establishments 2 --pupils 600 "$demo"
  "$sesamectl" --store "$store" import "$demo"
fi

"$sesamectl" --store "$store" files list
