#!/usr/bin/env bash
# Proves the services' configuration chain offline, with the real pieces:
#   1. kiln.env as Terraform's user data writes it (the settings of terraform/envs/*/main.tf);
#   2. kiln-runtime-env (ansible/roles/common/files) reads the SSM parameters it names from
#      moto_server on loopback and writes /run/kiln/<service>.env;
#   3. /etc/kiln/api.yml and scheduler.yml rendered by Ansible from the kiln_api and
#      kiln_scheduler templates;
#   4. `java -jar kiln-api-server.jar check` and `kiln-scheduler.jar check` accept them with
#      both environment files, and refuse them, naming the variable, when one is missing.
# Needs the jars (mvn -B -q -pl api-server,scheduler -am -DskipTests package), ansible, aws
# (the CLI) and moto_server.
set -o nounset -o errexit -o pipefail

cd "$(dirname "$0")/../.."
repo="$(pwd)"
api_jar="api-server/target/kiln-api-server.jar"
scheduler_jar="scheduler/target/kiln-scheduler.jar"
resolver="ansible/roles/common/files/kiln-runtime-env.sh"
for jar in "$api_jar" "$scheduler_jar"; do
  if [ ! -f "$jar" ]; then
    echo "$jar is missing: build it with mvn -B -q -pl api-server,scheduler -am -DskipTests package" >&2
    exit 1
  fi
done
for tool in ansible aws moto_server java; do
  command -v "$tool" >/dev/null || {
    echo "$tool is missing (infra/install-tools.sh installs ansible; pip install awscli 'moto[server]')" >&2
    exit 1
  }
done

work="$(mktemp -d)"
moto_pid=""
cleanup() {
  if [ -n "$moto_pid" ]; then kill "$moto_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
# Stands for the RDS CA bundle the AMI bakes; the resolver only checks that it is there.
echo "-----BEGIN CERTIFICATE-----" >"$work/rds-ca.pem"

pass() { echo "ok: $*"; }
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# --- 1. kiln.env, shaped like Terraform's service_environment (dev) -------------------------
estate=kiln-test
cat >"$work/kiln.env" <<EOF
KILN_ESTATE=$estate
KILN_REGION=us-east-1
KILN_DB_ENDPOINT=kiln-test.abc123.us-east-1.rds.amazonaws.com:5432
KILN_DB_PASSWORD_PARAMETER=/$estate/postgres/password
KILN_REDIS_HOST=master.kiln-test.abc123.use1.cache.amazonaws.com
KILN_REDIS_TLS=true
KILN_REDIS_AUTH_PARAMETER=/$estate/redis/auth-token
KILN_UPLOADS_BUCKET=$estate-uploads-us-east-1
KILN_RESULTS_BUCKET=$estate-results-us-east-1
KILN_OPS_BUCKET=$estate-ops-us-east-1
KILN_GPU_GROUP=$estate-gpu
KILN_PUBLIC_URL=https://kiln-test.example.com
KILN_JWT_KEY_PARAMETER=/$estate/api/jwt-key
KILN_UPLOAD_RETENTION_DAYS=7
KILN_GPU_MAX_AGENTS=2
KILN_CPU_GROUP=$estate-cpu
KILN_CPU_MAX_AGENTS=4
KILN_CPU_PROCESSORS=parse,checksum
KILN_SERVICE=api
EOF

# --- 2. SSM on moto_server, then the resolver ------------------------------------------------
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
  AWS_DEFAULT_REGION=us-east-1 AWS_MAX_ATTEMPTS=1 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
for _ in $(seq 1 100); do
  if curl -fs -o /dev/null "$AWS_ENDPOINT_URL/moto-api/"; then break; fi
  sleep 0.1
done

db_password=Pg0password0from0ssm0000000000000
redis_token=Redis0token0from0ssm000000000000000000000000000
jwt_key=Jwt0signing0key0from0ssm000000000000000000000000000000000000000
put() {
  aws ssm put-parameter --name "$1" --type SecureString --value "$2" >/dev/null
}
put "/$estate/postgres/password" "$db_password"
put "/$estate/redis/auth-token" "$redis_token"
put "/$estate/api/jwt-key" "$jwt_key"

resolve() {
  env -i PATH="$PATH" HOME="$work" AWS_ENDPOINT_URL="$AWS_ENDPOINT_URL" AWS_ACCESS_KEY_ID=test \
    AWS_SECRET_ACCESS_KEY=test AWS_MAX_ATTEMPTS=1 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
    KILN_ENV_FILE="$work/kiln.env" KILN_RUNTIME_DIR="$work/run" KILN_RUNTIME_GROUP="$(id -gn)" \
    KILN_DB_CA_FILE="$work/rds-ca.pem" "$@"
}

run_resolver() {
  local service="$1"
  shift
  resolve "$@" bash "$resolver" "$service" >"$work/resolver.log" 2>&1
}

expect_file() {
  local name="$1" expected="$2" actual="$work/run/$1"
  if [ ! -f "$actual" ]; then
    fail "$name not written"
  elif diff -u <(printf '%s\n' "$expected") "$actual" >"$work/diff.log"; then
    pass "$name holds the composed settings"
  else
    fail "$name differs:"
    cat "$work/diff.log" >&2
  fi
  if [ -f "$actual" ] && [ "$(stat -c %a "$actual")" = 640 ]; then pass "$name is 0640"; else fail "$name is not 0640"; fi
}

common="KILN_REDIS_URI=rediss://:$redis_token@master.kiln-test.abc123.use1.cache.amazonaws.com:6379
KILN_S3_REGION=us-east-1
KILN_S3_UPLOADS_BUCKET=$estate-uploads-us-east-1
KILN_S3_RESULTS_BUCKET=$estate-results-us-east-1"
database="KILN_DATABASE_URL=jdbc:postgresql://kiln-test.abc123.us-east-1.rds.amazonaws.com:5432/kiln?sslmode=verify-full&sslrootcert=$work/rds-ca.pem
KILN_DATABASE_USER=kiln
KILN_DATABASE_PASSWORD=$db_password"

for service in api scheduler agent; do
  if run_resolver "$service"; then pass "kiln-runtime-env $service"; else fail "kiln-runtime-env $service: $(cat "$work/resolver.log")"; fi
done
expect_file api.env "$database
$common
KILN_JWT_KEY=$jwt_key"
expect_file scheduler.env "$database
$common"
expect_file agent.env "$common"

expect_resolver_failure() {
  local name="$1" pattern="$2" service="$3"
  shift 3
  if run_resolver "$service" "$@"; then
    fail "kiln-runtime-env $name: succeeded"
  elif grep -q -- "$pattern" "$work/resolver.log"; then
    pass "kiln-runtime-env $name: $(tail -n 1 "$work/resolver.log")"
  else
    fail "kiln-runtime-env $name: no '$pattern' in: $(cat "$work/resolver.log")"
  fi
}
expect_resolver_failure "refuses an absent parameter" "cannot read SSM parameter /$estate/nope" \
  scheduler KILN_DB_PASSWORD_PARAMETER="/$estate/nope"
expect_resolver_failure "refuses a missing setting" "KILN_JWT_KEY_PARAMETER is not set" \
  api KILN_ENV_FILE=/dev/null KILN_REGION=us-east-1 KILN_REDIS_HOST=h KILN_REDIS_AUTH_PARAMETER="/$estate/redis/auth-token" \
  KILN_UPLOADS_BUCKET=u KILN_RESULTS_BUCKET=r KILN_DB_ENDPOINT=d:5432 KILN_DB_PASSWORD_PARAMETER="/$estate/postgres/password"
expect_resolver_failure "refuses a bad TLS flag" "KILN_REDIS_TLS is true or false" agent KILN_REDIS_TLS=yes
if run_resolver agent KILN_REDIS_TLS=false && grep -qx "KILN_REDIS_URI=redis://:$redis_token@master.kiln-test.abc123.use1.cache.amazonaws.com:6379" "$work/run/agent.env"; then
  pass "kiln-runtime-env agent: redis:// without TLS"
else
  fail "kiln-runtime-env agent: no redis:// URI without TLS"
fi

# --- 3. The configuration files as the AMI gets them -----------------------------------------
render() {
  local role="$1" template="$2" dest="$3"
  ANSIBLE_CONFIG="$repo/ansible/ansible.cfg" ANSIBLE_NOCOLOR=1 ansible localhost -c local -o \
    -e "@$repo/ansible/roles/$role/defaults/main.yml" \
    -m ansible.builtin.template -a "src=$repo/ansible/roles/$role/templates/$template dest=$dest mode=0600" >"$work/ansible.log" 2>&1 ||
    {
      cat "$work/ansible.log" >&2
      return 1
    }
}
render kiln_api api.yml.j2 "$work/api.yml"
render kiln_scheduler scheduler.yml.j2 "$work/scheduler.yml"
pass "rendered api.yml and scheduler.yml from the Ansible templates"

# --- 4. The real jars check them ---------------------------------------------------------------
# Runs a jar with the environment systemd gives the unit: kiln.env, then <service>.env.
# Extra NAME=value arguments override; -NAME removes a variable.
check_config() {
  local jar="$1" config="$2" service="$3" file line
  shift 3
  local vars=()
  for file in "$work/kiln.env" "$work/run/$service.env"; do
    while IFS= read -r line; do vars+=("$line"); done <"$file"
  done
  local drop=() arg
  for arg in "$@"; do
    case "$arg" in
      -*) drop+=(-u "${arg#-}") ;;
      *) vars+=("$arg") ;;
    esac
  done
  env -i PATH="$PATH" HOME="$work" "${vars[@]}" env "${drop[@]}" \
    java -jar "$jar" check "$config" >"$work/check.log" 2>&1
}

run_resolver api
run_resolver scheduler
if check_config "$api_jar" "$work/api.yml" api; then pass "kiln-api-server.jar check api.yml"; else fail "kiln-api-server.jar check api.yml: $(cat "$work/check.log")"; fi
if check_config "$scheduler_jar" "$work/scheduler.yml" scheduler; then
  pass "kiln-scheduler.jar check scheduler.yml"
else
  fail "kiln-scheduler.jar check scheduler.yml: $(cat "$work/check.log")"
fi

expect_check_failure() {
  local name="$1" pattern="$2"
  shift 2
  if check_config "$@"; then
    fail "$name: check succeeded"
  elif grep -q -- "$pattern" "$work/check.log"; then
    pass "$name: $(grep -m 1 -- "$pattern" "$work/check.log")"
  else
    fail "$name: no '$pattern' in: $(cat "$work/check.log")"
  fi
}
expect_check_failure "api without KILN_JWT_KEY" "Cannot resolve variable 'KILN_JWT_KEY'" \
  "$api_jar" "$work/api.yml" api -KILN_JWT_KEY
expect_check_failure "api without KILN_DATABASE_URL" "Cannot resolve variable 'KILN_DATABASE_URL'" \
  "$api_jar" "$work/api.yml" api -KILN_DATABASE_URL
expect_check_failure "scheduler without KILN_GPU_GROUP" "Cannot resolve variable 'KILN_GPU_GROUP'" \
  "$scheduler_jar" "$work/scheduler.yml" scheduler -KILN_GPU_GROUP
expect_check_failure "scheduler without KILN_CPU_GROUP" "Cannot resolve variable 'KILN_CPU_GROUP'" \
  "$scheduler_jar" "$work/scheduler.yml" scheduler -KILN_CPU_GROUP
# shellcheck disable=SC2016 # the placeholder is Dropwizard's, not the shell's
if grep -qx '    processors: \[${KILN_CPU_PROCESSORS:-parse,checksum}\]' "$work/scheduler.yml"; then
  pass "scheduler.yml sizes the CPU group for the processors Terraform names"
else
  fail "scheduler.yml has no groups: entry for the CPU group"
fi
expect_check_failure "api with a short signing key" "auth.jwtKeys" \
  "$api_jar" "$work/api.yml" api KILN_JWT_KEY=short

if [ "$failures" -gt 0 ]; then
  echo "runtime configuration: $failures check(s) failed" >&2
  exit 1
fi
echo "runtime configuration: every check passed"
