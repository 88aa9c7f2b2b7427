#!/usr/bin/env bash
# Runs every infrastructure check, offline: Packer validate and fmt, ansible-lint,
# ansible-playbook --syntax-check and a --check run against this machine (as root, or as this user
# without become), terraform fmt, terraform init (from the provider mirror) + validate of every
# module and environment + plan of dev and prod against moto_server (infra/terraform-plan.sh),
# plans of the agent group module that must refuse an AMI and instance types of two architectures,
# the Terraform policy tests (over the .tf files and the plans), the idle cost of dev and prod
# (infra/cost.py, from the plans), the image validation self-test, shellcheck and yamllint.
#
#   infra/check.sh              # all checks
#   infra/check.sh terraform policy   # some of them
#   infra/check.sh runtime_config jar_boot   # also offline, but need the built jars and take minutes
#
# Needs the tools infra/install-tools.sh installs. Exits non-zero if any check fails. A check whose
# tool is missing (terraform, where HashiCorp's sites could not be reached) is reported as NOT RUN
# and fails the run too, unless KILN_SKIP_TERRAFORM=1 accepts that the terraform check is not run.
set -o nounset -o errexit -o pipefail

cd "$(dirname "$0")/.."
repo="$(pwd)"
export TF_CLI_CONFIG_FILE=/dev/null
export ANSIBLE_CONFIG="$repo/ansible/ansible.cfg"
export ANSIBLE_NOCOLOR=1

failed=()
not_run=()

# A check answers this when it could not run at all (its tool is missing).
readonly NOT_RUN=3

# Whether the packer on PATH is 1.7 or later (the templates' own minimum).
packer_is_recent() {
  local version
  version="$(packer version 2>/dev/null | sed -n 's/^Packer v\([0-9.]*\).*/\1/p' | head -n 1)"
  [ -n "$version" ] && [ "$(printf '%s\n1.7.0\n' "$version" | sort -V | head -n 1)" = 1.7.0 ]
}

check_packer() {
  local role dir file status=0 compat=1
  if packer_is_recent; then
    compat=0
  else
    echo "packer $(packer version | head -n 1) is older than 1.7: validating without the 1.7-only blocks (run infra/install-tools.sh for 1.7+)"
  fi
  for role in web gpu cpu; do
    packer fmt -check "packer/$role" || status=1
    dir="$(mktemp -d "packer/.validate-$role-XXXX")"
    for file in "packer/$role"/*.pkr.hcl; do
      if [ "$(basename "$file")" = "plugins.pkr.hcl" ]; then
        continue
      elif [ "$compat" = 1 ]; then
        awk -f infra/packer-1.6-compat.awk "$file" >"$dir/$(basename "$file")"
      else
        cp "$file" "$dir/"
      fi
    done
    if ! packer validate -var kiln_version=0.0.0-check -var git_commit=0000000 "$dir"; then
      status=1
    fi
    rm -rf "$dir"
  done
  return "$status"
}

check_ansible_lint() {
  (cd ansible && ansible-lint --offline web.yml agent.yml roles)
}

check_ansible_syntax() {
  (cd ansible && ansible-playbook --syntax-check web.yml agent.yml)
}

check_ansible_check_mode() {
  local as_user=() tmp status=0
  if [ "$(id -u)" -ne 0 ]; then
    # Check mode changes nothing: without root it does not become root and reads what it can.
    as_user=(-e ansible_become=false)
  fi
  tmp="$(mktemp -d)"
  (cd ansible && ANSIBLE_LOCAL_TEMP="$tmp/local" ANSIBLE_REMOTE_TEMP="$tmp/remote" \
    ansible-playbook --check "${as_user[@]}" web.yml agent.yml) || status=1
  # The CPU agent image: the same playbook and roles without the NVIDIA driver.
  (cd ansible && ANSIBLE_LOCAL_TEMP="$tmp/local" ANSIBLE_REMOTE_TEMP="$tmp/remote" \
    ansible-playbook --check "${as_user[@]}" -e kiln_agent_gpu=false agent.yml) || status=1
  # The arm64 (Graviton) CPU image: TensorFlow's linux-arm64 build, the arm64 CloudWatch agent.
  (cd ansible && ANSIBLE_LOCAL_TEMP="$tmp/local" ANSIBLE_REMOTE_TEMP="$tmp/remote" \
    ansible-playbook --check "${as_user[@]}" -e kiln_agent_gpu=false -e kiln_agent_arch=arm64 agent.yml) || status=1
  rm -rf "$tmp"
  return "$status"
}

check_terraform() {
  if ! command -v terraform >/dev/null 2>&1; then
    echo "terraform is not installed: run infra/install-tools.sh, or install it from https://developer.hashicorp.com/terraform/install" >&2
    return "$NOT_RUN"
  fi
  terraform fmt -check -recursive terraform
}

check_terraform_plan() {
  if ! command -v terraform >/dev/null 2>&1; then
    echo "terraform is not installed: run infra/install-tools.sh" >&2
    return "$NOT_RUN"
  fi
  bash infra/terraform-plan.sh
}

check_cost() {
  if ! command -v terraform >/dev/null 2>&1; then
    echo "terraform is not installed: no plans to cost" >&2
    return "$NOT_RUN"
  fi
  (cd infra && python3 -m unittest -q cost_test) &&
    python3 infra/cost.py --details --max-dev 60 infra/.plans/dev.json infra/.plans/prod.json
}

check_policy() {
  if [ ! -d infra/policy/node_modules/@cdktf/hcl2json ]; then
    echo "infra/policy/node_modules is missing: run infra/install-tools.sh (or npm ci in infra/policy)" >&2
    return 1
  fi
  (cd infra/policy && node --test ./*.test.js)
}

# The policy tests over the plans terraform_plan writes (not run without terraform).
check_plan_policy() {
  if ! command -v terraform >/dev/null 2>&1; then
    echo "terraform is not installed: no plans to check" >&2
    return "$NOT_RUN"
  fi
  (cd infra/policy && node --test plan/*.test.js)
}

# The agent groups' architecture checks: plans of modules/agent_tier against moto_server.
check_agent_architecture() {
  if ! command -v terraform >/dev/null 2>&1; then
    echo "terraform is not installed: run infra/install-tools.sh" >&2
    return "$NOT_RUN"
  fi
  bash infra/tests/agent-architecture-plan-test.sh
}

check_image_validation() {
  bash infra/tests/validate-image-test.sh
}

check_without_terraform() {
  bash infra/tests/check-without-terraform-test.sh
}

check_shellcheck() {
  local scripts=()
  while IFS= read -r -d '' script; do
    scripts+=("$script")
  done < <(find packer ansible infra -path '*/node_modules' -prune -o -type f -name '*.sh' -print0)
  echo "shellcheck: ${#scripts[@]} scripts"
  shellcheck "${scripts[@]}"
}

# Not in the default list: needs the api-server and scheduler jars and runs them.
check_runtime_config() {
  bash infra/tests/runtime-config-test.sh
}

# Not in the default list: needs the jars, root, PostgreSQL and redis-server; boots both services.
check_jar_boot() {
  bash infra/tests/jar-boot-test.sh
}

check_yamllint() {
  yamllint --strict -c infra/yamllint.yml ansible infra
}

all=(packer ansible_lint ansible_syntax ansible_check_mode terraform terraform_plan agent_architecture policy plan_policy cost image_validation without_terraform shellcheck yamllint)
if [ "$#" -gt 0 ]; then
  selected=("$@")
else
  selected=("${all[@]}")
fi

for name in "${selected[@]}"; do
  echo "==> $name"
  if "check_$name"; then
    echo "<== $name: ok"
  else
    status=$?
    if [ "$status" -eq "$NOT_RUN" ]; then
      echo "<== $name: NOT RUN"
      not_run+=("$name")
    else
      echo "<== $name: FAILED"
      failed+=("$name")
    fi
  fi
done

if [ "${#not_run[@]}" -gt 0 ]; then
  echo "!!! infra checks NOT RUN: ${not_run[*]} (a tool is missing, see above)" >&2
fi
if [ "${#failed[@]}" -gt 0 ]; then
  echo "infra checks failed: ${failed[*]}" >&2
  exit 1
fi
if [ "${#not_run[@]}" -gt 0 ] && [ "${KILN_SKIP_TERRAFORM:-0}" != 1 ]; then
  echo "infra checks incomplete: set KILN_SKIP_TERRAFORM=1 to pass without them" >&2
  exit 1
fi
passed=()
for name in "${selected[@]}"; do
  case " ${not_run[*]} " in
    *" $name "*) ;;
    *) passed+=("$name") ;;
  esac
done
echo "infra checks passed: ${passed[*]}${not_run[*]:+ (NOT RUN: ${not_run[*]})}"
