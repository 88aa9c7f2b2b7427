#!/usr/bin/env bash
# Installs what ./kiln test needs besides JDK 17 and Maven, on a fresh Debian 12 machine, and skips
# what is already there (safe to run again):
#   - packer, ansible, ansible-lint, yamllint, shellcheck, Node.js, npm and chromium (the web UI's
#     browser tests drive /usr/bin/chromium) (Debian packages);
#   - @cdktf/hcl2json into infra/policy/node_modules (npm ci from the committed package-lock.json);
#   - terraform (not a Debian package), the first of these that works: one already installed;
#     HashiCorp's apt repository (apt.releases.hashicorp.com, its key checked by apt); the release
#     zip from releases.hashicorp.com, checked against its SHA256SUMS. When neither site answers it
#     says how to install terraform in one line and goes on: infra/check.sh then reports the
#     terraform check as not run, and fails unless KILN_SKIP_TERRAFORM=1;
#   - moto_server (moto[server] from PyPI in a virtual environment under /opt/kiln-tools).
# Installing system packages needs root; when only infra/policy/node_modules is missing, it does not.
set -o nounset -o errexit -o pipefail

cd "$(dirname "$0")/.."

terraform_version=1.11.4
moto_version=5.2.1
tools_dir=/opt/kiln-tools

as_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-tools: $1 needs root: run sudo infra/install-tools.sh" >&2
    exit 1
  fi
}

# Debian package name -> command it provides.
declare -A commands=(
  [packer]=packer
  [ansible]=ansible-playbook
  [ansible-lint]=ansible-lint
  [yamllint]=yamllint
  [shellcheck]=shellcheck
  [nodejs]=node
  [npm]=npm
  [chromium]=chromium
)
command -v terraform >/dev/null 2>&1 ||
  commands+=([curl]=curl [unzip]=unzip [ca-certificates]=update-ca-certificates [gpg]=gpg)
command -v moto_server >/dev/null 2>&1 || commands+=([python3-venv]=__python3_venv__)

missing=()
for package in "${!commands[@]}"; do
  if [ "${commands[$package]}" = __python3_venv__ ]; then
    if python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
      echo "present: $package"
    else
      missing+=("$package")
    fi
  elif command -v "${commands[$package]}" >/dev/null 2>&1; then
    echo "present: $package (${commands[$package]})"
  else
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  as_root "apt-get install ${missing[*]}"
  echo "installing: ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 18 ]; then
  echo "warning: Node.js $node_major found; the policy tests (node --test) need Node 18 or later" >&2
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
  echo "installing: @cdktf/hcl2json $wanted (npm ci in $policy)"
  (cd "$policy" && npm ci --no-audit --no-fund)
fi

# Terraform from HashiCorp's apt repository; answers non-zero (and leaves no source behind) when
# the repository cannot be reached or has no terraform for this release.
terraform_from_apt() {
  local keyring=/usr/share/keyrings/hashicorp-archive-keyring.gpg
  local sources=/etc/apt/sources.list.d/hashicorp.list codename key
  codename="$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release 2>/dev/null | tr -d '"')"
  [ -n "$codename" ] || return 1
  key="$(mktemp)"
  if ! curl -fsSL --connect-timeout 10 --max-time 60 -o "$key" https://apt.releases.hashicorp.com/gpg ||
    ! gpg --batch --yes --dearmor -o "$keyring" "$key"; then
    rm -f "$key"
    return 1
  fi
  rm -f "$key"
  echo "deb [signed-by=$keyring] https://apt.releases.hashicorp.com $codename main" >"$sources"
  if apt-get update -q -o Dir::Etc::sourcelist="$sources" -o Dir::Etc::sourceparts=- \
    -o APT::Get::List-Cleanup=0 &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends terraform; then
    return 0
  fi
  rm -f "$sources" "$keyring"
  return 1
}

# Terraform's release zip for this machine, checked against HashiCorp's SHA256SUMS.
terraform_from_zip() {
  local download base zip arch status=0
  arch="$(dpkg --print-architecture 2>/dev/null || echo amd64)"
  download="$(mktemp -d)"
  base="https://releases.hashicorp.com/terraform/$terraform_version"
  zip="terraform_${terraform_version}_linux_${arch}.zip"
  if curl -fsSL --connect-timeout 10 --max-time 300 -o "$download/$zip" "$base/$zip" &&
    curl -fsSL --connect-timeout 10 --max-time 60 -o "$download/SHA256SUMS" \
      "$base/terraform_${terraform_version}_SHA256SUMS" &&
    (cd "$download" && grep " $zip\$" SHA256SUMS | sha256sum --check --quiet -); then
    unzip -q -o "$download/$zip" terraform -d /usr/local/bin || status=1
  else
    status=1
  fi
  rm -rf "$download"
  return "$status"
}

if command -v terraform >/dev/null 2>&1; then
  echo "present: $(TF_CLI_CONFIG_FILE=/dev/null terraform version | head -n 1)"
else
  as_root "installing terraform"
  echo "installing: terraform (HashiCorp's apt repository, else the $terraform_version release zip)"
  if terraform_from_apt; then
    echo "installed: $(TF_CLI_CONFIG_FILE=/dev/null terraform version | head -n 1) from apt.releases.hashicorp.com"
  elif terraform_from_zip; then
    echo "installed: terraform $terraform_version from releases.hashicorp.com"
  else
    echo "install-tools: terraform NOT installed: apt.releases.hashicorp.com and releases.hashicorp.com are unreachable; install it by hand (https://developer.hashicorp.com/terraform/install) or run infra/check.sh with KILN_SKIP_TERRAFORM=1" >&2
  fi
fi

if command -v moto_server >/dev/null 2>&1; then
  echo "present: moto_server ($(command -v moto_server))"
else
  as_root "installing moto_server"
  echo "installing: moto[server] $moto_version into $tools_dir/moto"
  python3 -m venv "$tools_dir/moto"
  "$tools_dir/moto/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$moto_version"
  ln -sf "$tools_dir/moto/bin/moto_server" /usr/local/bin/moto_server
fi
