#!/usr/bin/env bash
# Self-test of packer/scripts/validate.sh: it passes on a well-formed image tree and fails
# on each defect it is meant to catch (run against fake root file systems).
set -o nounset -o errexit -o pipefail

cd "$(dirname "$0")/../.."
validate="packer/scripts/validate.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

good_gpu_image() {
  local root="$1"
  mkdir -p "$root/opt/kiln/agent/lib" "$root/etc/systemd/system" "$root/etc/ssh/sshd_config.d" \
    "$root/opt/aws/amazon-cloudwatch-agent/etc" "$root/etc" "$root/var/lib/cloud" "$root/home/admin/.ssh" \
    "$root/usr/local/sbin"
  printf 'version=1.2.3\ncommit=abc123\n' >"$root/opt/kiln/VERSION"
  : >"$root/opt/kiln/agent/kiln-gpu-agent.jar"
  : >"$root/opt/kiln/agent/lib/tensorflow-core-native-1.1.0-linux-x86_64-gpu.jar"
  : >"$root/etc/systemd/system/kiln-agent.service"
  : >"$root/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json"
  : >"$root/usr/local/sbin/kiln-runtime-env"
  printf 'PasswordAuthentication no\n' >"$root/etc/ssh/sshd_config.d/50-kiln.conf"
  : >"$root/etc/machine-id"
}

run_validate() {
  KILN_VALIDATE_ROOT="$1" KILN_ROLE="${role:-gpu}" KILN_ARCH="${arch:-x86_64}" KILN_VERSION=1.2.3 \
    KILN_GIT_COMMIT=abc123 bash "$validate" >"$work/last.log" 2>&1
}

expect() {
  local want="$1" name="$2" root="$3"
  if run_validate "$root"; then got=pass; else got=fail; fi
  if [ "$got" = "$want" ]; then
    echo "ok: $name ($got)"
  else
    echo "FAIL: $name: expected $want, got $got" >&2
    cat "$work/last.log" >&2
    failures=$((failures + 1))
  fi
}

case_root() {
  local root="$work/$1"
  good_gpu_image "$root"
  echo "$root"
}

expect pass "a good GPU image" "$(case_root good)"

root="$(case_root host-keys)"
: >"$root/etc/ssh/ssh_host_ed25519_key"
expect fail "SSH host keys left behind" "$root"

root="$(case_root cloud-init)"
mkdir -p "$root/var/lib/cloud/instances/i-0123"
expect fail "cloud-init state left behind" "$root"

root="$(case_root authorized-keys)"
: >"$root/home/admin/.ssh/authorized_keys"
expect fail "the bake's SSH key left behind" "$root"

root="$(case_root version)"
printf 'version=1.2.2\ncommit=abc123\n' >"$root/opt/kiln/VERSION"
expect fail "version differs from the AMI tag" "$root"

root="$(case_root cpu-tensorflow)"
mv "$root/opt/kiln/agent/lib/tensorflow-core-native-1.1.0-linux-x86_64-gpu.jar" \
  "$root/opt/kiln/agent/lib/tensorflow-core-native-1.1.0-linux-x86_64.jar"
expect fail "CPU TensorFlow build instead of the GPU one" "$root"

root="$(case_root no-unit)"
rm "$root/etc/systemd/system/kiln-agent.service"
expect fail "agent unit missing" "$root"

root="$(case_root no-runtime-env)"
rm "$root/usr/local/sbin/kiln-runtime-env"
expect fail "secrets resolver missing" "$root"

root="$(case_root machine-id)"
echo 0123456789abcdef >"$root/etc/machine-id"
expect fail "machine-id baked in" "$root"

# The CPU agent image: the GPU image's tree with TensorFlow's CPU build and no CUDA.
cpu_root() {
  local root
  root="$(case_root "$1")"
  mv "$root/opt/kiln/agent/lib/tensorflow-core-native-1.1.0-linux-x86_64-gpu.jar" \
    "$root/opt/kiln/agent/lib/tensorflow-core-native-1.1.0-linux-x86_64.jar"
  echo "$root"
}
role=cpu
expect pass "a good CPU image" "$(cpu_root cpu-good)"

root="$(cpu_root cpu-gpu-tensorflow)"
: >"$root/opt/kiln/agent/lib/tensorflow-core-native-1.1.0-linux-x86_64-gpu.jar"
expect fail "GPU TensorFlow build on the CPU image" "$root"

root="$(cpu_root cpu-no-tensorflow)"
rm "$root/opt/kiln/agent/lib/tensorflow-core-native-1.1.0-linux-x86_64.jar"
expect fail "CPU image without TensorFlow's CPU build" "$root"

root="$(cpu_root cpu-cuda)"
mkdir -p "$root/usr/local/cuda-12.3"
expect fail "CUDA left on the CPU image" "$root"

root="$(cpu_root cpu-no-unit)"
rm "$root/etc/systemd/system/kiln-agent.service"
expect fail "CPU image without the agent unit" "$root"

# The arm64 (Graviton) CPU image: TensorFlow's linux-arm64 build, no x86_64 one.
arm_root() {
  local root
  root="$(cpu_root "$1")"
  mv "$root/opt/kiln/agent/lib/tensorflow-core-native-1.1.0-linux-x86_64.jar" \
    "$root/opt/kiln/agent/lib/tensorflow-core-native-1.1.0-linux-arm64.jar"
  echo "$root"
}
arch=arm64
expect pass "a good arm64 CPU image" "$(arm_root arm-good)"

root="$(arm_root arm-x86-tensorflow)"
: >"$root/opt/kiln/agent/lib/tensorflow-core-native-1.1.0-linux-x86_64.jar"
expect fail "an x86_64 TensorFlow build on the arm64 image" "$root"

expect fail "an arm64 CPU image with the x86_64 build only" "$(cpu_root arm-only-x86)"

role=gpu
expect fail "an arm64 GPU image" "$(case_root arm-gpu)"
arch=x86_64

root="$(cpu_root x86-arm-tensorflow)"
: >"$root/opt/kiln/agent/lib/tensorflow-core-native-1.1.0-linux-arm64.jar"
role=cpu
expect fail "an arm64 TensorFlow build on the x86_64 CPU image" "$root"
role=gpu

if [ "$failures" -gt 0 ]; then
  echo "validate.sh self-test: $failures case(s) wrong" >&2
  exit 1
fi
echo "validate.sh self-test: all cases right"
