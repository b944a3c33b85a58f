#!/usr/bin/env bash
# Runs the built tests. When gnome-keyring and D-Bus are installed, inside a private D-Bus session with
# a fresh, unlocked Secret Service, so the keychain tests use a real one and never touch the user's.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${CONFLUENCE_ADF_TEST_KEYRING:-}" ] && command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1; then
  export CONFLUENCE_ADF_TEST_KEYRING=1
  exec dbus-run-session -- bash "$0" "$@" 2> >(grep -v 'Failed to set fd limit' >&2)
fi
if [ "${CONFLUENCE_ADF_TEST_KEYRING:-}" = 1 ]; then
  XDG_DATA_HOME=$(mktemp -d)
  export XDG_DATA_HOME
  printf %s 'test-keyring-password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
fi
# Node 20 would run every .js under a folder named test (the emulator's entry too): name the files.
mapfile -t files < <(find dist/test -name '*.test.js' | sort)
if [ "$#" -gt 0 ]; then files=("$@"); fi
exec node --test --test-concurrency="${TEST_CONCURRENCY:-2}" "${files[@]}"
