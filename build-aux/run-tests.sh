#!/bin/sh
# run-tests.sh — installs what is missing, builds Sésame and runs the whole
# test suite under a virtual display, a private session bus and a keyring.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${SESAME_BUILDDIR:-"$top/_build"}

"$top/build-aux/install-deps.sh"

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$top"
fi
ninja -C "$builddir"

# The tests need a display (GTK), a session bus and an unlocked keyring
# (SMTP password); they start their own SMTP server.
exec xvfb-run -a -s "-screen 0 1280x800x24" \
  dbus-run-session -- "$top/build-aux/with-keyring.sh" \
  meson test -C "$builddir" --print-errorlogs --num-processes 2 "$@"
