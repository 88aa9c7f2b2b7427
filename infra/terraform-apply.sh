#!/usr/bin/env bash
# Applies envs/dev to a running moto_server and writes its outputs, so `kiln release` can be run
# against the estate exactly as Terraform names, tags and wires it (TerraformEstateReleaseIT in
# cli/ does, and fails when the two drift apart):
#
#   infra/terraform-apply.sh http://127.0.0.1:PORT OUTPUTS.json
#
# terraform init from the provider mirror ($KILN_TF_PLUGIN_MIRROR, default /opt/tf-plugins) with
# the committed lock file, then terraform apply of a copy of terraform/ with terraform.tfvars.example,
# the provider pointed at the endpoint (moto_override.tf, as infra/terraform-plan.sh does) and
# emulator_leaves_out naming what moto cannot create (see envs/dev/variables.tf). OUTPUTS.json gets
# `terraform output -json`. Nothing under terraform/ is written. Exits non-zero, naming the step,
# when one fails.
set -o nounset -o errexit -o pipefail

cd "$(dirname "$0")/.."
repo="$(pwd)"
mirror="${KILN_TF_PLUGIN_MIRROR:-/opt/tf-plugins}"
# shellcheck source=infra/terraform-moto.sh
. "$repo/infra/terraform-moto.sh"

die() {
  echo "terraform-apply: $*" >&2
  exit 1
}

[ "$#" -eq 2 ] || die "usage: infra/terraform-apply.sh MOTO_ENDPOINT OUTPUTS.json"
endpoint="$1"
outputs="$2"
command -v terraform >/dev/null 2>&1 || die "terraform is not installed: run infra/install-tools.sh"
compgen -G "$mirror/registry.terraform.io/hashicorp/aws/*/*/terraform-provider-aws_*" >/dev/null ||
  die "no terraform-provider-aws under $mirror: run infra/install-tools.sh (or set KILN_TF_PLUGIN_MIRROR)"
curl -fs -o /dev/null "$endpoint/moto-api/" || die "no moto_server answers at $endpoint"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
terraform_offline "$work" "$mirror"
cp -r terraform "$work/terraform"
find "$work/terraform" -name .terraform -prune -exec rm -rf {} +
moto_hosted_zone "$endpoint" || die "cannot create the example.com hosted zone in moto_server"

dir="$work/terraform/envs/dev"
terraform_moto_override "$dir" "$endpoint"
cp "$dir/terraform.tfvars.example" "$dir/terraform.tfvars"
echo 'emulator_leaves_out = ["database", "cache", "budget"]' >>"$dir/terraform.tfvars"
(cd "$dir" && terraform init -lockfile=readonly -no-color >"$work/init.log" 2>&1) ||
  { cat "$work/init.log" >&2; die "terraform init of envs/dev failed (does .terraform.lock.hcl match the mirror?)"; }
(cd "$dir" && terraform apply -auto-approve -parallelism=30 -no-color >"$work/apply.log" 2>&1) ||
  { grep -v 'Still creating' "$work/apply.log" >&2; die "terraform apply of envs/dev against moto_server failed"; }
(cd "$dir" && terraform output -json >"$outputs") || die "terraform output of envs/dev failed"
echo "envs/dev: $(grep -E '^Apply complete' "$work/apply.log") -> $outputs"
