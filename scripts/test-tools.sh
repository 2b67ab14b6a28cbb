#!/usr/bin/env bash
# The programs the tests drive for real: git, zip/unzip, tmux (replay and help in a terminal), Chromium (the HTML
# report), rclone (off-site backups, against its own WebDAV server on 127.0.0.1 and its local backend), zsh and fish
# (shell completion; bash is there already).
# Installs the missing ones with apt-get (Debian/Ubuntu), using sudo when not root. Run by `npm test` and
# `npm run test:compat` (their pre scripts) and by .ci/run.
set -euo pipefail
need=()
command -v git >/dev/null 2>&1 || need+=(git)
command -v zip >/dev/null 2>&1 || need+=(zip)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v rclone >/dev/null 2>&1 || need+=(rclone)
command -v zsh >/dev/null 2>&1 || need+=(zsh)
command -v fish >/dev/null 2>&1 || need+=(fish)
[ "${#need[@]}" -eq 0 ] && exit 0
echo "test tools: installing ${need[*]} with apt-get" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo=sudo; else
    echo "test tools: ${need[*]} missing and not root; install them with your package manager" >&2
    exit 1
  fi
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
