#!/bin/sh
# quickstart.sh — installs what is missing, builds Sésame into a private
# prefix and starts it on a local store. An empty store is first filled from
# a generated demo directory, so that there is something to look at.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${SESAME_BUILDDIR:-"$top/_build"}
prefix="$top/_install"
store=${SESAME_STORE:-"${XDG_DATA_HOME:-$HOME/.local/share}/sesame/sesame.db"}

"$top/build-aux/install-deps.sh"

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$top" --prefix "$prefix"
else
  # A build made by run-tests.sh has the default prefix: install into ours.
  meson configure "$builddir" --prefix "$prefix"
fi
meson install -C "$builddir" --quiet

# Run from the private prefix: its settings schema, icons and translations.
export XDG_DATA_DIRS="$prefix/share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
export GSETTINGS_SCHEMA_DIR="$prefix/share/glib-2.0/schemas"
sesamectl="$prefix/bin/sesamectl"

if [ ! -s "$store" ]; then
  demo=$(mktemp -d)
  trap 'rm -rf "$demo"' EXIT
  echo "Importing a demo directory into $store"
  "$builddir/tools/sesame-make-directory" --establishments 2 --pupils 600 "$demo"
  "$sesamectl" --store "$store" import "$demo" >/dev/null
fi

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$prefix/bin/sesame" --store "$store"
fi

echo "No display to open the window on: here is the store from the command line."
echo "Run $prefix/bin/sesame --store $store from a desktop session to open the window."
"$sesamectl" --store "$store" files list
