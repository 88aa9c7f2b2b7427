#!/usr/bin/env bash
# Fails the bake if the image is wrong: the last provisioner of every Kiln AMI.
# Environment: KILN_ROLE (web|gpu|cpu), KILN_VERSION, KILN_GIT_COMMIT, KILN_JAVA_MAJOR,
# KILN_REQUIRE_GPU (true on GPU bakes, which run on a GPU instance), KILN_ARCH (x86_64 or arm64:
# what the image is tagged kiln:arch; CPU images come in both, the others are x86_64).
set -o nounset -o errexit -o pipefail

KILN_HOME="${KILN_HOME:-/opt/kiln}"
ROOT="${KILN_VALIDATE_ROOT:-}"
failures=0

fail() {
  echo "validate: FAIL: $*" >&2
  failures=$((failures + 1))
}

ok() {
  echo "validate: ok: $*"
}

check_file() {
  if [ -e "${ROOT}$1" ]; then ok "$1 present"; else fail "$1 missing"; fi
}

check_absent_glob() {
  local pattern="$1" what="$2" found
  found="$(compgen -G "${ROOT}${pattern}" || true)"
  if [ -n "$found" ]; then fail "$what left in the image: $found"; else ok "no $what"; fi
}

check_unit() {
  local unit="$1"
  check_file "/etc/systemd/system/${unit}"
  if [ -z "$ROOT" ]; then
    if systemctl cat "$unit" >/dev/null 2>&1; then ok "systemd knows $unit"; else fail "systemd does not know $unit"; fi
  fi
}

: "${KILN_ROLE:?KILN_ROLE is web, gpu or cpu}"
: "${KILN_VERSION:?KILN_VERSION is required}"
: "${KILN_GIT_COMMIT:?KILN_GIT_COMMIT is required}"
KILN_JAVA_MAJOR="${KILN_JAVA_MAJOR:-17}"
KILN_REQUIRE_GPU="${KILN_REQUIRE_GPU:-false}"
KILN_ARCH="${KILN_ARCH:-x86_64}"

# The image runs on the machines it is tagged for (uname -m says aarch64 on arm64).
if [ -z "$ROOT" ]; then
  machine="$(uname -m)"
  case "$KILN_ARCH:$machine" in
    x86_64:x86_64 | arm64:aarch64 | arm64:arm64) ok "baked on $machine for $KILN_ARCH" ;;
    *) fail "baked on $machine, but tagged $KILN_ARCH" ;;
  esac
fi

# The agent's TensorFlow native build: exactly the one for this kind of image and machine.
check_tensorflow_build() {
  local want="$1" build
  for build in linux-x86_64-gpu linux-x86_64 linux-arm64; do
    if [ "$build" != "$want" ]; then
      check_absent_glob "${KILN_HOME}/agent/lib/tensorflow-core-native-*-${build}.jar" "TensorFlow build ${build}"
    fi
  done
  if compgen -G "${ROOT}${KILN_HOME}/agent/lib/tensorflow-core-native-*-${want}.jar" >/dev/null; then
    ok "TensorFlow build ${want}"
  else
    fail "TensorFlow build (tensorflow-core-native ${want}) missing"
  fi
}

# Nothing an instance must not share with its siblings.
check_absent_glob "/etc/ssh/ssh_host_*" "SSH host keys"
check_absent_glob "/var/lib/cloud/instances/*" "cloud-init instance state"
check_absent_glob "/root/.ssh/authorized_keys" "root authorized_keys"
check_absent_glob "/home/*/.ssh/authorized_keys" "user authorized_keys"
if [ -s "${ROOT}/etc/machine-id" ]; then fail "machine-id is set"; else ok "machine-id empty"; fi

# The version is the one tagged on the AMI.
version_file="${ROOT}${KILN_HOME}/VERSION"
if [ -f "$version_file" ]; then
  if grep -qx "version=${KILN_VERSION}" "$version_file"; then ok "version ${KILN_VERSION}"; else fail "VERSION does not say version=${KILN_VERSION}"; fi
  if grep -qx "commit=${KILN_GIT_COMMIT}" "$version_file"; then ok "commit ${KILN_GIT_COMMIT}"; else fail "VERSION does not say commit=${KILN_GIT_COMMIT}"; fi
else
  fail "${KILN_HOME}/VERSION missing"
fi

# Java of the expected major version.
if [ -z "$ROOT" ]; then
  if java_version="$(java -version 2>&1 | head -n 1)"; then
    case "$java_version" in
      *"\"${KILN_JAVA_MAJOR}."* | *"\"${KILN_JAVA_MAJOR}\""*) ok "java: $java_version" ;;
      *) fail "java is not ${KILN_JAVA_MAJOR}: $java_version" ;;
    esac
  else
    fail "java is not installed"
  fi
fi

# Services and log shipping; the resolver that turns kiln.env and SSM into each unit's settings.
check_file "/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json"
check_file "/usr/local/sbin/kiln-runtime-env"
case "$KILN_ROLE" in
  web)
    check_unit kiln-api.service
    check_unit kiln-scheduler.service
    check_file "${KILN_HOME}/api/kiln-api-server.jar"
    check_file "${KILN_HOME}/scheduler/kiln-scheduler.jar"
    check_file "/etc/kiln/api.yml"
    check_file "/etc/kiln/scheduler.yml"
    ;;
  gpu)
    check_unit kiln-agent.service
    check_file "${KILN_HOME}/agent/kiln-gpu-agent.jar"
    if [ "$KILN_ARCH" != x86_64 ]; then fail "the GPU image is x86_64 only, not $KILN_ARCH"; fi
    check_tensorflow_build linux-x86_64-gpu
    if [ -z "$ROOT" ]; then
      if ldconfig -p | grep -q 'libcudart.so.12'; then ok "CUDA runtime"; else fail "CUDA runtime (libcudart.so.12) missing"; fi
      if ldconfig -p | grep -q 'libcudnn.so.9'; then ok "cuDNN"; else fail "cuDNN (libcudnn.so.9) missing"; fi
      if modinfo nvidia >/dev/null 2>&1; then ok "NVIDIA kernel module"; else fail "NVIDIA kernel module missing"; fi
      if [ "$KILN_REQUIRE_GPU" = "true" ]; then
        if nvidia-smi -L; then ok "nvidia-smi sees a GPU"; else fail "nvidia-smi sees no GPU"; fi
      fi
    fi
    ;;
  cpu)
    check_unit kiln-agent.service
    check_file "${KILN_HOME}/agent/kiln-gpu-agent.jar"
    # TensorFlow's CPU build for the machine (the agent loads it only for tf-savedmodel).
    case "$KILN_ARCH" in
      x86_64) check_tensorflow_build linux-x86_64 ;;
      arm64) check_tensorflow_build linux-arm64 ;;
      *) fail "unknown architecture $KILN_ARCH (x86_64 or arm64)" ;;
    esac
    # No NVIDIA driver or CUDA: they cost boot time and disk and the group has no GPU.
    check_absent_glob "/usr/local/cuda*" "CUDA runtime"
    check_absent_glob "/etc/apt/sources.list.d/cuda*" "NVIDIA's CUDA repository"
    if [ -z "$ROOT" ]; then
      if modinfo nvidia >/dev/null 2>&1; then fail "NVIDIA kernel module on a CPU image"; else ok "no NVIDIA kernel module"; fi
    fi
    ;;
  *)
    fail "unknown role $KILN_ROLE"
    ;;
esac

# Hardening the common role applies.
sshd_config="${ROOT}/etc/ssh/sshd_config.d/50-kiln.conf"
if [ -f "$sshd_config" ] && grep -qx 'PasswordAuthentication no' "$sshd_config"; then
  ok "SSH passwords off"
else
  fail "SSH password authentication not disabled"
fi

if [ "$failures" -gt 0 ]; then
  echo "validate: ${failures} check(s) failed; the image is not registered" >&2
  exit 1
fi
echo "validate: image is good (${KILN_ROLE} ${KILN_VERSION} ${KILN_GIT_COMMIT})"
