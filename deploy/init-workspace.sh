#!/bin/sh
# Make a province workspace, as the app's user, before any worker starts:
#   deploy/init-workspace.sh WORKSPACE DATABASE_URL
# the directory (its owner only), secret.key (every worker signs session cookies with this one
# key), settings.toml naming the PostgreSQL database, then `industry-brain status` once, which
# creates and migrates the schema (so that no two workers migrate at the same time). An existing
# key or settings.toml is kept. The app is the checkout this script is in (its .venv), or
# $INDUSTRY_BRAIN_BIN, the directory of the industry-brain command.
set -eu
workspace=$1
database_url=$2
bin=${INDUSTRY_BRAIN_BIN:-$(dirname "$0")/../.venv/bin}
umask 077
mkdir -p "$workspace"
chmod 700 "$workspace"
if [ ! -s "$workspace/secret.key" ]; then
  head -c 48 /dev/urandom | base64 -w0 > "$workspace/secret.key"
fi
if [ ! -e "$workspace/settings.toml" ]; then
  printf 'database_url = "%s"\n' "$database_url" > "$workspace/settings.toml"
fi
INDUSTRY_BRAIN_WORKSPACE=$workspace "$bin/industry-brain" status
