#!/usr/bin/env bash
# Resolves the secrets one Kiln service needs and writes its runtime environment.
#
#   kiln-runtime-env api|scheduler|agent
#
# Reads the estate's settings from the environment (systemd loads /etc/kiln/kiln.env, which
# Terraform's user data writes; without them in the environment the script reads that file),
# fetches the SSM SecureString parameters that kiln.env names (aws ssm get-parameter
# --with-decryption, credentials from the instance profile) and writes /run/kiln/<service>.env
# (0640, root:kiln) with the values the configuration files and the agent read:
#
#   KILN_DATABASE_URL, KILN_DATABASE_USER, KILN_DATABASE_PASSWORD   api, scheduler
#   KILN_REDIS_URI                                                 every service
#   KILN_S3_REGION, KILN_S3_UPLOADS_BUCKET, KILN_S3_RESULTS_BUCKET every service
#   KILN_JWT_KEY                                                   api
#   KILN_BOOTSTRAP_ADMIN_EMAIL, KILN_BOOTSTRAP_ADMIN_PASSWORD      api, when kiln.env names the
#     first administrator and KILN_BOOTSTRAP_ADMIN_PARAMETER (its one-time password) exists
#
# Optional settings: KILN_REDIS_TLS (true), KILN_REDIS_PORT (6379), KILN_DB_USER (kiln),
# KILN_DB_CA_FILE (/etc/kiln/rds-ca.pem, the RDS CA bundle baked into the AMI: the JDBC URL
# verifies the server's certificate and host name against it, sslmode=verify-full).
# The units run it as ExecStartPre=+ (as root) before every start, so a restart picks up a
# rotated secret. Exits non-zero, naming what is missing, when a setting or parameter is absent.
set -o nounset -o errexit -o pipefail

KILN_ENV_FILE="${KILN_ENV_FILE:-/etc/kiln/kiln.env}"
KILN_RUNTIME_DIR="${KILN_RUNTIME_DIR:-/run/kiln}"
KILN_RUNTIME_GROUP="${KILN_RUNTIME_GROUP:-kiln}"

die() {
  echo "kiln-runtime-env: $*" >&2
  exit 1
}

service="${1:-}"
case "$service" in
  api | scheduler | agent) ;;
  *) die "usage: kiln-runtime-env api|scheduler|agent" ;;
esac

# Settings systemd did not already put in the environment come from kiln.env (KEY=value lines).
if [ -r "$KILN_ENV_FILE" ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    if [[ "$line" =~ ^(KILN_[A-Z0-9_]+)=(.*)$ ]]; then
      key="${BASH_REMATCH[1]}"
      [ -n "${!key:-}" ] || export "$key=${BASH_REMATCH[2]}"
    fi
  done <"$KILN_ENV_FILE"
fi

require() {
  local name
  for name in "$@"; do
    [ -n "${!name:-}" ] || die "$name is not set: Terraform's user data writes it to $KILN_ENV_FILE"
  done
}

# Values go into an environment file and into YAML unquoted-safe: no blanks, quotes,
# backslashes, dollar signs or URI delimiters. Terraform's generated secrets are alphanumeric.
check_plain() {
  local name="$1" value="$2"
  [[ "$value" =~ ^[A-Za-z0-9._~+=-]+$ ]] ||
    die "$name holds characters Kiln cannot pass through an environment file and a URI (allowed: A-Z a-z 0-9 . _ ~ + = -)"
}

parameter() {
  local name="$1" value
  if ! value="$(aws ssm get-parameter --region "$KILN_REGION" --name "$name" --with-decryption \
    --query Parameter.Value --output text)"; then
    die "cannot read SSM parameter $name (does the instance role grant ssm:GetParameter on it?)"
  fi
  if [ -z "$value" ] || [ "$value" = "None" ]; then
    die "SSM parameter $name is empty"
  fi
  check_plain "$name" "$value"
  printf '%s' "$value"
}

require KILN_REGION KILN_REDIS_HOST KILN_REDIS_AUTH_PARAMETER KILN_UPLOADS_BUCKET KILN_RESULTS_BUCKET

lines=()
if [ "$service" != agent ]; then
  require KILN_DB_ENDPOINT KILN_DB_PASSWORD_PARAMETER
  [[ "$KILN_DB_ENDPOINT" =~ ^[A-Za-z0-9.-]+:[0-9]+$ ]] || die "KILN_DB_ENDPOINT is host:port, not $KILN_DB_ENDPOINT"
  db_ca="${KILN_DB_CA_FILE:-/etc/kiln/rds-ca.pem}"
  [ -r "$db_ca" ] || die "$db_ca is missing: without the RDS CA bundle the database's certificate cannot be verified"
  [[ "$db_ca" =~ ^[A-Za-z0-9._/-]+$ ]] || die "KILN_DB_CA_FILE is a plain path, not $db_ca"
  db_password="$(parameter "$KILN_DB_PASSWORD_PARAMETER")"
  lines+=(
    "KILN_DATABASE_URL=jdbc:postgresql://${KILN_DB_ENDPOINT}/kiln?sslmode=verify-full&sslrootcert=${db_ca}"
    "KILN_DATABASE_USER=${KILN_DB_USER:-kiln}"
    "KILN_DATABASE_PASSWORD=${db_password}"
  )
fi

[[ "$KILN_REDIS_HOST" =~ ^[A-Za-z0-9.-]+$ ]] || die "KILN_REDIS_HOST is a host name, not $KILN_REDIS_HOST"
redis_token="$(parameter "$KILN_REDIS_AUTH_PARAMETER")"
case "${KILN_REDIS_TLS:-true}" in
  true) redis_scheme=rediss ;;
  false) redis_scheme=redis ;;
  *) die "KILN_REDIS_TLS is true or false, not ${KILN_REDIS_TLS}" ;;
esac
lines+=(
  "KILN_REDIS_URI=${redis_scheme}://:${redis_token}@${KILN_REDIS_HOST}:${KILN_REDIS_PORT:-6379}"
  "KILN_S3_REGION=${KILN_REGION}"
  "KILN_S3_UPLOADS_BUCKET=${KILN_UPLOADS_BUCKET}"
  "KILN_S3_RESULTS_BUCKET=${KILN_RESULTS_BUCKET}"
)

if [ "$service" = api ]; then
  require KILN_JWT_KEY_PARAMETER
  jwt_key="$(parameter "$KILN_JWT_KEY_PARAMETER")"
  [ "${#jwt_key}" -ge 32 ] || die "SSM parameter $KILN_JWT_KEY_PARAMETER is shorter than 32 characters"
  lines+=("KILN_JWT_KEY=${jwt_key}")
  # The first administrator (optional): its one-time password parameter may have been deleted
  # once used, which is not an error.
  if [ -n "${KILN_BOOTSTRAP_ADMIN_EMAIL:-}" ] && [ -n "${KILN_BOOTSTRAP_ADMIN_PARAMETER:-}" ]; then
    [[ "$KILN_BOOTSTRAP_ADMIN_EMAIL" =~ ^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+$ ]] ||
      die "KILN_BOOTSTRAP_ADMIN_EMAIL is an e-mail address, not $KILN_BOOTSTRAP_ADMIN_EMAIL"
    if bootstrap_password="$(aws ssm get-parameter --region "$KILN_REGION" \
      --name "$KILN_BOOTSTRAP_ADMIN_PARAMETER" --with-decryption \
      --query Parameter.Value --output text 2>/dev/null)" && [ -n "$bootstrap_password" ]; then
      check_plain "$KILN_BOOTSTRAP_ADMIN_PARAMETER" "$bootstrap_password"
      lines+=(
        "KILN_BOOTSTRAP_ADMIN_EMAIL=${KILN_BOOTSTRAP_ADMIN_EMAIL}"
        "KILN_BOOTSTRAP_ADMIN_PASSWORD=${bootstrap_password}"
      )
    fi
  fi
fi

# Written next to the target and renamed, so a service never reads half a file.
install -d -m 0750 -g "$KILN_RUNTIME_GROUP" "$KILN_RUNTIME_DIR"
target="$KILN_RUNTIME_DIR/$service.env"
temporary="$(mktemp "$KILN_RUNTIME_DIR/.$service.env.XXXXXX")"
trap 'rm -f "$temporary"' EXIT
printf '%s\n' "${lines[@]}" >"$temporary"
chmod 0640 "$temporary"
chgrp "$KILN_RUNTIME_GROUP" "$temporary"
mv -f "$temporary" "$target"
trap - EXIT
echo "kiln-runtime-env: wrote $target for $service"
