#!/bin/sh
# install-deps.sh — installs the Debian 12 packages Sésame needs, if any is
# missing, and the French locale the interface is tested in.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

here=$(dirname "$0")
packages=$(grep -v '^#' "$here/debian-packages.txt" | grep -v '^$' | tr '\n' ' ')

if [ "$(id -u)" -eq 0 ]; then
  as_root=""
else
  as_root="sudo"
fi

missing=""
for p in $packages; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -n "$missing" ]; then
  echo "Installing:$missing"
  $as_root env DEBIAN_FRONTEND=noninteractive apt-get update
  # shellcheck disable=SC2086
  $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
  # Apache is for the CAS browser test only, which starts its own from a
  # configuration of its own: the system service it just brought stays off.
  case " $missing " in
    *" apache2 "*)
      if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
        $as_root systemctl disable --now apache2 >/dev/null 2>&1 || true
      elif [ -x /etc/init.d/apache2 ]; then
        $as_root /etc/init.d/apache2 stop >/dev/null 2>&1 || true
      fi ;;
  esac
fi

if ! locale -a 2>/dev/null | grep -qi '^fr_FR\.utf-\?8$'; then
  echo "Generating the fr_FR.UTF-8 locale"
  $as_root sed -i 's/^# *fr_FR.UTF-8 UTF-8/fr_FR.UTF-8 UTF-8/' /etc/locale.gen
  grep -q '^fr_FR.UTF-8 UTF-8' /etc/locale.gen || echo 'fr_FR.UTF-8 UTF-8' | $as_root tee -a /etc/locale.gen >/dev/null
  $as_root locale-gen
fi
