#!/bin/sh
# with-keyring.sh — runs a command with an unlocked GNOME keyring on the
# current session bus (secrets component only, empty password).
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  echo "with-keyring.sh: no session bus; run it under dbus-run-session" >&2
  exit 2
fi

keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
export XDG_DATA_HOME="$keyring_home/data"
mkdir -p "$XDG_DATA_HOME"
printf '\n' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
"$@"
