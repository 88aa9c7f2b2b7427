#!/usr/bin/env bash
# Plans terraform/modules/agent_tier against a moto_server started here, with AMIs registered in
# it, and checks that the plan refuses an agent group whose AMI and instance types are built for
# different machines: an x86_64 AMI with Graviton types fails naming both and what to do, Graviton
# types with an arm64 AMI plan, x86_64 types with architecture = arm64 fail, and a GPU group cannot
# be arm64. Needs terraform, the provider mirror (infra/install-tools.sh), moto_server and aws.
set -o nounset -o errexit -o pipefail

cd "$(dirname "$0")/../.."
repo="$(pwd)"
mirror="${KILN_TF_PLUGIN_MIRROR:-/opt/tf-plugins}"

for tool in terraform moto_server aws; do
  command -v "$tool" >/dev/null 2>&1 || { echo "agent-architecture-plan-test: $tool is not installed: run infra/install-tools.sh" >&2; exit 3; }
done

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
failures=0

cat >"$work/terraformrc" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/*/*"]
  }
}
EOF
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
endpoint="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
  curl -fs -o /dev/null "$endpoint/moto-api/" && break
  sleep 0.2
done
curl -fs -o /dev/null "$endpoint/moto-api/" || { cat "$work/moto.log" >&2; echo "moto_server did not start" >&2; exit 1; }

export AWS_ACCESS_KEY_ID=kiln AWS_SECRET_ACCESS_KEY=kiln AWS_DEFAULT_REGION=us-east-1
# An image of this account for one architecture, baked the way Packer does: an instance of a base
# image of that architecture, then CreateImage (moto's RegisterImage ignores the architecture).
bake() {
  local base instance
  base="$(aws --endpoint-url "$endpoint" ec2 describe-images --owners amazon \
    --filters "Name=architecture,Values=$1" --query 'Images[0].ImageId' --output text)"
  instance="$(aws --endpoint-url "$endpoint" ec2 run-instances --image-id "$base" --count 1 \
    --query 'Instances[0].InstanceId' --output text)"
  aws --endpoint-url "$endpoint" ec2 create-image --instance-id "$instance" --name "kiln-cpu-check-$1" \
    --query ImageId --output text
}
x86_ami="$(bake x86_64)"
arm_ami="$(bake arm64)"

mkdir "$work/root"
cat >"$work/root/main.tf" <<EOF
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "kiln"
  secret_key                  = "kiln"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  endpoints {
    autoscaling = "$endpoint"
    ec2         = "$endpoint"
  }
}

variable "kind" {
  type    = string
  default = "cpu"
}

variable "architecture" {
  type = string
}

variable "ami_id" {
  type = string
}

variable "instance_types" {
  type = list(string)
}

module "tier" {
  source = "$repo/terraform/modules/agent_tier"

  name              = "kiln-check"
  kind              = var.kind
  architecture      = var.architecture
  vpc_id            = "vpc-12345678"
  subnet_ids        = ["subnet-12345678"]
  ami_id            = var.ami_id
  instance_types    = var.instance_types
  instance_profile  = "kiln-check-agent"
  agent_environment = {}
}
EOF
cp terraform/envs/dev/.terraform.lock.hcl "$work/root/"
(cd "$work/root" && terraform init -backend=false -lockfile=readonly -no-color >"$work/init.log" 2>&1) ||
  { cat "$work/init.log" >&2; echo "terraform init failed" >&2; exit 1; }

# plan <what> <expect: pass|fail> <pattern the output must hold> [terraform -var ...]
plan() {
  local what="$1" expect="$2" pattern="$3" status=0
  shift 3
  (cd "$work/root" && terraform plan -no-color -refresh=false "$@") >"$work/out" 2>&1 || status=$?
  if [ "$expect" = pass ] && [ "$status" -ne 0 ]; then
    echo "FAIL: $what: the plan failed:" >&2
    cat "$work/out" >&2
    failures=$((failures + 1))
  elif [ "$expect" = fail ] && [ "$status" -eq 0 ]; then
    echo "FAIL: $what: the plan passed" >&2
    failures=$((failures + 1))
  elif ! tr -s ' \n' ' ' <"$work/out" | grep -q -- "$pattern"; then
    echo "FAIL: $what: no '$pattern' in:" >&2
    cat "$work/out" >&2
    failures=$((failures + 1))
  else
    echo "ok: $what"
  fi
}

# said <what> <pattern>: the last plan's output holds the pattern too.
said() {
  if tr -s ' \n' ' ' <"$work/out" | grep -q -- "$2"; then
    echo "ok: $1"
  else
    echo "FAIL: $1: no '$2' in the last plan's output" >&2
    failures=$((failures + 1))
  fi
}

graviton='["c7g.large","c6g.large","m7g.large"]'
plan "an arm64 AMI on Graviton types plans" pass "Plan:" \
  -var architecture=arm64 -var "ami_id=$arm_ami" -var "instance_types=$graviton"
plan "an x86_64 AMI on Graviton types is refused" fail "ami_id $x86_ami is not an arm64 image" \
  -var architecture=arm64 -var "ami_id=$x86_ami" -var "instance_types=$graviton"
said "the refusal says what to do" "kiln release bake --role cpu --arch arm64"
plan "x86_64 types in an arm64 group are refused by name" fail "instance types c6a.large cannot run arm64 images" \
  -var architecture=arm64 -var "ami_id=$arm_ami" -var 'instance_types=["c7g.large","c6a.large"]'
plan "an arm64 AMI in an x86_64 group is refused" fail "ami_id $arm_ami is not an x86_64 image" \
  -var architecture=x86_64 -var "ami_id=$arm_ami" -var 'instance_types=["c6a.large","c6i.large"]'
plan "an AMI this account does not own is left to kiln release" pass "Plan:" \
  -var architecture=arm64 -var "ami_id=ami-0a1b2c3d4e5f67890" -var "instance_types=$graviton"
plan "a GPU group cannot be arm64" fail "The GPU image is built for x86_64 only" \
  -var kind=gpu -var architecture=arm64 -var "ami_id=$arm_ami" -var 'instance_types=["g5g.xlarge"]'

if [ "$failures" -gt 0 ]; then
  echo "agent-architecture-plan-test: $failures case(s) failed" >&2
  exit 1
fi
echo "agent-architecture-plan-test: all cases passed"
