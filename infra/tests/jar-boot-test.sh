#!/usr/bin/env bash
# Boots the shaded jars the web AMI installs with the configuration an instance gets, against
# real PostgreSQL (TLS, sslmode=verify-full against its certificate, as on RDS), Redis with an AUTH token, and S3, SSM and
# Auto Scaling on moto_server, all on loopback:
#   kiln.env (as Terraform writes it) -> kiln-runtime-env (SSM) -> /run/kiln/<service>.env
#   -> api.yml / scheduler.yml rendered by Ansible -> java -jar ... server
# and asserts that each service answers its admin health check with PostgreSQL (schema
# migrated by Flyway from inside the fat jar), Redis and S3 healthy.
# Needs the jars (mvn -B -q -pl api-server,scheduler -am -DskipTests package), root (PostgreSQL
# runs as the postgres user), PostgreSQL 15 binaries, redis-server, openssl, ansible, aws and
# moto_server.
set -o nounset -o errexit -o pipefail

cd "$(dirname "$0")/../.."
repo="$(pwd)"
api_jar="$repo/api-server/target/kiln-api-server.jar"
scheduler_jar="$repo/scheduler/target/kiln-scheduler.jar"
resolver="$repo/ansible/roles/common/files/kiln-runtime-env.sh"
pg_bin="${KILN_PG_BIN:-/usr/lib/postgresql/15/bin}"
for jar in "$api_jar" "$scheduler_jar"; do
  [ -f "$jar" ] || {
    echo "$jar is missing: build it with mvn -B -q -pl api-server,scheduler -am -DskipTests package" >&2
    exit 1
  }
done
[ "$(id -u)" -eq 0 ] || {
  echo "run as root: PostgreSQL is started as the postgres user" >&2
  exit 1
}

work="$(mktemp -d)"
chmod 0755 "$work"
pids=()
pg_started=false
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$pg_started" = true ]; then
    su postgres -s /bin/sh -c "$pg_bin/pg_ctl -D $work/pg -m immediate stop" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_for() {
  local what="$1" seconds="$2"
  shift 2
  for _ in $(seq 1 $((seconds * 4))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  echo "FAIL: $what did not come up in ${seconds}s" >&2
  return 1
}

# --- PostgreSQL with TLS --------------------------------------------------------------------
pg_port="$(free_port)"
mkdir "$work/pg" "$work/pg-tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -keyout "$work/pg-tls/server.key" -out "$work/pg-tls/server.crt" >/dev/null 2>&1
echo Pg0password0from0ssm0000000000000 >"$work/pg-tls/password"
chown -R postgres "$work/pg" "$work/pg-tls"
chmod 0600 "$work/pg-tls/server.key" "$work/pg-tls/password"
if ! su postgres -s /bin/sh -c "$pg_bin/initdb -D $work/pg -U kiln --auth=scram-sha-256 --pwfile=$work/pg-tls/password" \
  >"$work/initdb.log" 2>&1; then
  cat "$work/initdb.log" >&2
  exit 1
fi
su postgres -s /bin/sh -c "$pg_bin/pg_ctl -D $work/pg -l $work/pg/server.log -w start -o \
  '-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file=$work/pg-tls/server.crt -c ssl_key_file=$work/pg-tls/server.key -c fsync=off'" \
  >/dev/null
pg_started=true
PGPASSWORD=Pg0password0from0ssm0000000000000 "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U kiln -d postgres \
  -c "create database kiln"
echo "ok: PostgreSQL with TLS on $pg_port"

# --- Redis with an AUTH token ---------------------------------------------------------------
redis_port="$(free_port)"
redis_token=Redis0token0from0ssm000000000000000000000000000
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --requirepass "$redis_token" \
  >"$work/redis.log" 2>&1 &
pids+=($!)
wait_for Redis 10 redis-cli -p "$redis_port" -a "$redis_token" --no-auth-warning ping
echo "ok: Redis on $redis_port"

# --- S3, SSM and Auto Scaling on moto_server --------------------------------------------------
moto_port="$(free_port)"
moto_server -H 127.0.0.1 -p "$moto_port" >"$work/moto.log" 2>&1 &
pids+=($!)
export AWS_ENDPOINT_URL="http://127.0.0.1:$moto_port" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
  AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_MAX_ATTEMPTS=1 AWS_CONFIG_FILE=/dev/null \
  AWS_SHARED_CREDENTIALS_FILE=/dev/null
wait_for moto_server 20 curl -fs "$AWS_ENDPOINT_URL/moto-api/"
estate=kiln-test
for bucket in uploads results; do
  aws s3api create-bucket --bucket "$estate-$bucket-us-east-1" >/dev/null
done
aws ssm put-parameter --type SecureString --name "/$estate/postgres/password" --value Pg0password0from0ssm0000000000000 >/dev/null
aws ssm put-parameter --type SecureString --name "/$estate/redis/auth-token" --value "$redis_token" >/dev/null
aws ssm put-parameter --type SecureString --name "/$estate/api/jwt-key" \
  --value Jwt0signing0key0from0ssm000000000000000000000000000000000000000 >/dev/null
echo "ok: moto_server on $moto_port"

# --- kiln.env, runtime env, configuration -----------------------------------------------------
cat >"$work/kiln.env" <<EOF
KILN_ESTATE=$estate
KILN_REGION=us-east-1
KILN_DB_ENDPOINT=localhost:$pg_port
KILN_DB_CA_FILE=$work/pg-tls/server.crt
KILN_DB_PASSWORD_PARAMETER=/$estate/postgres/password
KILN_REDIS_HOST=127.0.0.1
KILN_REDIS_PORT=$redis_port
KILN_REDIS_TLS=false
KILN_REDIS_AUTH_PARAMETER=/$estate/redis/auth-token
KILN_UPLOADS_BUCKET=$estate-uploads-us-east-1
KILN_RESULTS_BUCKET=$estate-results-us-east-1
KILN_GPU_GROUP=$estate-gpu
KILN_JWT_KEY_PARAMETER=/$estate/api/jwt-key
KILN_GPU_MAX_AGENTS=2
KILN_CPU_GROUP=$estate-cpu
KILN_CPU_MAX_AGENTS=4
KILN_CPU_PROCESSORS=parse,checksum
EOF
for service in api scheduler; do
  KILN_ENV_FILE="$work/kiln.env" KILN_RUNTIME_DIR="$work/run" KILN_RUNTIME_GROUP="$(id -gn)" \
    bash "$resolver" "$service"
done

api_port="$(free_port)"
api_admin_port="$(free_port)"
scheduler_admin_port="$(free_port)"
render() {
  local role="$1" template="$2" dest="$3"
  shift 3
  ANSIBLE_CONFIG="$repo/ansible/ansible.cfg" ANSIBLE_NOCOLOR=1 ansible localhost -c local -o \
    -e "@$repo/ansible/roles/$role/defaults/main.yml" "$@" \
    -m ansible.builtin.template -a "src=$repo/ansible/roles/$role/templates/$template dest=$dest mode=0600" >/dev/null
}
render kiln_api api.yml.j2 "$work/api.yml" -e "kiln_api_port=$api_port" -e "kiln_api_admin_port=$api_admin_port"
render kiln_scheduler scheduler.yml.j2 "$work/scheduler.yml" -e "kiln_scheduler_admin_port=$scheduler_admin_port"

# --- Boot each jar as its unit would, and ask its admin port ----------------------------------
failures=0
boot() {
  local service="$1" jar="$2" config="$3" admin_port="$4" line
  local vars=()
  for file in "$work/kiln.env" "$work/run/$service.env"; do
    while IFS= read -r line; do vars+=("$line"); done <"$file"
  done
  # Only the endpoints differ from AWS: S3 and Auto Scaling on moto_server.
  env -i PATH="$PATH" HOME="$work" "${vars[@]}" KILN_S3_ENDPOINT="$AWS_ENDPOINT_URL" \
    AWS_ENDPOINT_URL="$AWS_ENDPOINT_URL" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 \
    java -Xmx512m -jar "$jar" server "$config" >"$work/$service.log" 2>&1 &
  pids+=($!)
  if ! wait_for "$service" 120 curl -fs "http://127.0.0.1:$admin_port/healthcheck?pretty=true"; then
    curl -s "http://127.0.0.1:$admin_port/healthcheck?pretty=true" >&2 || true
    tail -n 40 "$work/$service.log" >&2
    failures=$((failures + 1))
    return 0
  fi
  local health
  health="$(curl -fs "http://127.0.0.1:$admin_port/healthcheck")"
  for check in postgres redis s3; do
    if python3 -c 'import json, sys; sys.exit(0 if json.loads(sys.argv[1])[sys.argv[2]]["healthy"] else 1)' "$health" "$check"; then
      echo "ok: $service: $check healthy"
    else
      echo "FAIL: $service: $check not healthy: $health" >&2
      failures=$((failures + 1))
    fi
  done
}

boot api "$api_jar" "$work/api.yml" "$api_admin_port"
if curl -fs "http://127.0.0.1:$api_port/api/v1/openapi.json" >/dev/null ||
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$api_port/api/v1/whoami")" = 401 ]; then
  echo "ok: api answers on its application port"
else
  echo "FAIL: api does not answer on its application port" >&2
  failures=$((failures + 1))
fi
boot scheduler "$scheduler_jar" "$work/scheduler.yml" "$scheduler_admin_port"

if [ "$failures" -gt 0 ]; then
  echo "jar boot: $failures check(s) failed" >&2
  exit 1
fi
echo "jar boot: both services start from the AMI configuration"
