#!/usr/bin/env bash
# Initialises, validates and plans the Terraform estate offline:
#
#   - terraform init from a filesystem mirror of the aws provider (no registry): a CLI
#     configuration written here names the mirror ($KILN_TF_PLUGIN_MIRROR, default
#     /opt/tf-plugins, which infra/install-tools.sh fills); the environments use their committed
#     .terraform.lock.hcl read-only, so a provider that does not match it fails the run;
#   - terraform validate of every module and of both environments;
#   - terraform plan -out of envs/dev and envs/prod against a moto_server started here (the AWS
#     emulator the Java tests use), with terraform.tfvars.example, and the plan as JSON
#     (terraform show -json) in $KILN_PLAN_DIR (default infra/.plans): dev.json, prod.json. The
#     policy tests (infra/policy/plan.test.js) and the cost report (infra/cost.py) read them.
#
# The environments are planned from a copy of terraform/ with one file added per environment
# (moto_override.tf): the aws provider pointed at moto and a local backend. Nothing under
# terraform/ is written. Exits non-zero, naming the step, when one fails.
set -o nounset -o errexit -o pipefail

cd "$(dirname "$0")/.."
repo="$(pwd)"
mirror="${KILN_TF_PLUGIN_MIRROR:-/opt/tf-plugins}"
# shellcheck source=infra/terraform-moto.sh
. "$repo/infra/terraform-moto.sh"
plans="${KILN_PLAN_DIR:-$repo/infra/.plans}"

die() {
  echo "terraform-plan: $*" >&2
  exit 1
}

command -v terraform >/dev/null 2>&1 || die "terraform is not installed: run infra/install-tools.sh"
command -v moto_server >/dev/null 2>&1 || die "moto_server is not installed: run infra/install-tools.sh"
compgen -G "$mirror/registry.terraform.io/hashicorp/aws/*/*/terraform-provider-aws_*" >/dev/null ||
  die "no terraform-provider-aws under $mirror: run infra/install-tools.sh (or set KILN_TF_PLUGIN_MIRROR)"

work="$(mktemp -d)"
moto_pid=""
cleanup() {
  if [ -n "$moto_pid" ]; then
    kill "$moto_pid" 2>/dev/null || true
    wait "$moto_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

terraform_offline "$work" "$mirror"

cp -r terraform "$work/terraform"
find "$work/terraform" -name .terraform -prune -exec rm -rf {} +

# Every module uses the one provider the environments pin: one initialisation (a shared
# TF_DATA_DIR and the environments' lock file) serves all of them, instead of hashing the
# provider again for each.
modules_data="$work/modules-data"
for module in "$work"/terraform/modules/*/; do
  cp terraform/envs/dev/.terraform.lock.hcl "$module"
done
first_module="$(find "$work/terraform/modules" -mindepth 1 -maxdepth 1 -type d | sort | head -n 1)"
(cd "$first_module" && TF_DATA_DIR="$modules_data" terraform init -backend=false -lockfile=readonly -no-color >"$work/init.log" 2>&1) ||
  { cat "$work/init.log" >&2; die "terraform init of the modules failed"; }
for module in "$work"/terraform/modules/*/; do
  name="modules/$(basename "$module")"
  (cd "$module" && TF_DATA_DIR="$modules_data" terraform validate -no-color >"$work/validate.log" 2>&1) ||
    { cat "$work/validate.log" >&2; die "terraform validate of $name failed"; }
  echo "$name: valid"
done

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
endpoint="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
  curl -fs -o /dev/null "$endpoint/moto-api/" && break
  sleep 0.2
done
curl -fs -o /dev/null "$endpoint/moto-api/" || { cat "$work/moto.log" >&2; die "moto_server did not start"; }

moto_hosted_zone "$endpoint" || die "cannot create the example.com hosted zone in moto_server"

mkdir -p "$plans"
for env in dev prod; do
  dir="$work/terraform/envs/$env"
  terraform_moto_override "$dir" "$endpoint"
  cp "$dir/terraform.tfvars.example" "$dir/terraform.tfvars"
  (cd "$dir" && terraform init -lockfile=readonly -no-color >"$work/init.log" 2>&1) ||
    { cat "$work/init.log" >&2; die "terraform init of envs/$env failed (does .terraform.lock.hcl match the mirror?)"; }
  (cd "$dir" && terraform validate -no-color) || die "terraform validate of envs/$env failed"
  (cd "$dir" && terraform plan -no-color -out=plan.out >"$work/plan-$env.log" 2>&1) ||
    { cat "$work/plan-$env.log" >&2; die "terraform plan of envs/$env against moto_server failed"; }
  (cd "$dir" && terraform show -json plan.out >"$plans/$env.json")
  echo "envs/$env: $(grep -E '^Plan:' "$work/plan-$env.log") -> ${plans#"$repo"/}/$env.json"
done
