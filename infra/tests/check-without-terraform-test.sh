#!/usr/bin/env bash
# Self-test of infra/check.sh on a machine without terraform: the terraform check is reported as
# NOT RUN and fails the run, unless KILN_SKIP_TERRAFORM=1 accepts it (still said, loudly).
set -o nounset -o errexit -o pipefail

cd "$(dirname "$0")/../.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

# A PATH with what check.sh needs for the terraform check, and no terraform.
mkdir "$work/bin"
ln -s "$(command -v dirname)" "$work/bin/dirname"
bash_bin="$(command -v bash)"

run_check() {
  env -i PATH="$work/bin" HOME="$work" "$@" "$bash_bin" infra/check.sh terraform >"$work/out" 2>&1
}

expect() {
  local what="$1" pattern="$2"
  if ! grep -q -- "$pattern" "$work/out"; then
    echo "FAIL: $what: no '$pattern' in:" >&2
    cat "$work/out" >&2
    failures=$((failures + 1))
  fi
}

if run_check; then
  echo "FAIL: check.sh passed without terraform" >&2
  failures=$((failures + 1))
fi
expect "without terraform" "<== terraform: NOT RUN"
expect "without terraform" "infra checks NOT RUN: terraform"
expect "without terraform" "https://developer.hashicorp.com/terraform/install"

if ! run_check KILN_SKIP_TERRAFORM=1; then
  echo "FAIL: check.sh failed with KILN_SKIP_TERRAFORM=1:" >&2
  cat "$work/out" >&2
  failures=$((failures + 1))
fi
expect "with KILN_SKIP_TERRAFORM=1" "infra checks NOT RUN: terraform"
expect "with KILN_SKIP_TERRAFORM=1" "(NOT RUN: terraform)"

if [ "$failures" -gt 0 ]; then
  echo "check-without-terraform-test: $failures failures" >&2
  exit 1
fi
echo "check-without-terraform-test: ok"
