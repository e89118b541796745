#!/bin/sh
# Writes .env for docker-compose.yml with fresh random secrets (the names .env.example lists).
# Refuses to overwrite an existing .env: its secrets protect data already stored.
set -eu
cd "$(dirname "$0")/../.."
if [ -e .env ]; then
  echo ".env exists; not overwriting it (delete it first to start over)" >&2
  exit 1
fi
random() { od -An -tx1 -N32 /dev/urandom | tr -d ' \n'; }
umask 077
{
  echo "VIGIL_TOKEN=$(random)"
  echo "VIGIL_SECRET_KEY=$(random)"
  echo "VIGIL_REFERENCE_ADMIN_TOKEN=$(random)"
  echo "GRAFANA_ADMIN_PASSWORD=$(random)"
} > .env
echo "wrote .env (mode 600): docker compose up --build"
