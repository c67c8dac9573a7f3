#!/usr/bin/env bash
# A local PostgreSQL for the scheduler's cluster test: installs Debian's postgresql when it is
# missing (needs root and apt-get), starts its cluster, and creates the role and database the test
# uses. Prints the JDBC URL. Exit 2 (with the reason on stderr) where it cannot.
set -euo pipefail
role=genre db=genre_test
if ! command -v pg_ctlcluster >/dev/null; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "postgres-up: postgresql is not installed and installing it needs root and apt-get" >&2; exit 2
  fi
  echo "postgres-up: installing postgresql (apt-get)" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >/dev/null 2>&1 \
    || { echo "postgres-up: apt-get install postgresql failed" >&2; exit 2; }
fi
if [ "$(id -u)" != 0 ]; then echo "postgres-up: starting the server needs root (pg_ctlcluster, su postgres)" >&2; exit 2; fi
if [ -z "$(pg_lsclusters -h)" ]; then
  pg_createcluster "$(ls /usr/lib/postgresql | sort -n | tail -n 1)" main >/dev/null
fi
read -r ver name port status _ < <(pg_lsclusters -h | head -n 1)
[ "$status" = online ] || pg_ctlcluster "$ver" "$name" start
psql_as_postgres() { su postgres -c "psql -p $port -v ON_ERROR_STOP=1 -qtAc \"$1\""; }
[ "$(psql_as_postgres "SELECT 1 FROM pg_roles WHERE rolname='$role'")" = 1 ] || psql_as_postgres "CREATE ROLE $role LOGIN PASSWORD '$role'"
[ "$(psql_as_postgres "SELECT 1 FROM pg_database WHERE datname='$db'")" = 1 ] || psql_as_postgres "CREATE DATABASE $db OWNER $role"
echo "jdbc:postgresql://localhost:$port/$db"
