#!/usr/bin/env bash
# Installs what infra/check.sh needs on a fresh Debian 12 machine, as root, and skips what
# is already there: packer, ansible, ansible-lint, yamllint, shellcheck (Debian packages),
# Node.js if absent, and @cdktf/hcl2json into infra/policy/node_modules (npm ci from the
# committed package-lock.json). Terraform is not a Debian package: it is reported, not
# installed. Safe to run again.
set -o nounset -o errexit -o pipefail

cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "run as root (apt-get install)" >&2
  exit 1
fi

# Debian package name -> command it provides.
declare -A commands=(
  [packer]=packer
  [ansible]=ansible-playbook
  [ansible-lint]=ansible-lint
  [yamllint]=yamllint
  [shellcheck]=shellcheck
)
if ! command -v node >/dev/null 2>&1; then
  commands[nodejs]=node
fi
if ! command -v npm >/dev/null 2>&1; then
  commands[npm]=npm
fi

missing=()
for package in "${!commands[@]}"; do
  if command -v "${commands[$package]}" >/dev/null 2>&1; then
    echo "present: $package (${commands[$package]})"
  else
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "warning: Node.js $node_major found; the policy tests are written for Node 20 (node --test)" >&2
fi

policy=infra/policy
wanted="$(node -p "require('./$policy/package-lock.json').packages['node_modules/@cdktf/hcl2json'].version")"
installed=""
if [ -f "$policy/node_modules/@cdktf/hcl2json/package.json" ]; then
  installed="$(node -p "require('./$policy/node_modules/@cdktf/hcl2json/package.json').version")"
fi
if [ "$installed" = "$wanted" ]; then
  echo "present: @cdktf/hcl2json $installed"
else
  echo "installing: @cdktf/hcl2json $wanted"
  (cd "$policy" && npm ci --no-audit --no-fund)
fi

if command -v terraform >/dev/null 2>&1; then
  echo "present: $(TF_CLI_CONFIG_FILE=/dev/null terraform version | head -n 1)"
else
  echo "warning: terraform is not installed (not a Debian package); infra/check.sh terraform needs it" >&2
fi
