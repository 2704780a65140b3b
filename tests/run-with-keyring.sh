#!/bin/sh
# run-with-keyring.sh — runs a test in a session bus of its own with an
# unlocked GNOME keyring (secrets component only, empty password), in a
# private folder, so that the test never touches the user's keyring.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

if [ -z "${SESAME_KEYRING_SESSION:-}" ]; then
  export SESAME_KEYRING_SESSION=1
  exec dbus-run-session -- "$0" "$@"
fi

keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
export HOME="$keyring_home"
export XDG_DATA_HOME="$keyring_home/data"
mkdir -p "$XDG_DATA_HOME"
# One empty line is the empty password: it creates the login keyring
# unlocked. (No line at all leaves it locked, and the daemon would prompt.)
printf '\n' | env -u MALLOC_PERTURB_ -u G_DEBUG gnome-keyring-daemon --unlock --components=secrets >/dev/null
# The daemon leaves with the session bus when the test ends.
"$@"
