#!/usr/bin/env bash
# Installs what ./kiln test needs besides JDK 17 and Maven, on a fresh Debian 12 machine, and skips
# what is already there (safe to run again):
#   - ansible, ansible-lint, yamllint, shellcheck, Node.js, npm and chromium (the web UI's browser
#     tests drive /usr/bin/chromium) (Debian packages);
#   - packer >= 1.7 (the templates' plugins block needs it; Debian 12 ships 1.6.6): one already
#     installed, else HashiCorp's apt repository, else the $packer_version release zip checked
#     against its SHA256SUMS. When neither site answers, Debian's 1.6.6 stays and infra/check.sh
#     validates the templates without their 1.7-only blocks (and says so);
#   - @cdktf/hcl2json into infra/policy/node_modules (npm ci from the committed package-lock.json);
#   - terraform (not a Debian package), the first of these that works: one already installed;
#     HashiCorp's apt repository (apt.releases.hashicorp.com, its key checked by apt); the release
#     zip from releases.hashicorp.com, checked against its SHA256SUMS. When neither site answers it
#     says how to install terraform in one line and goes on: infra/check.sh then reports the
#     terraform check as not run, and fails unless KILN_SKIP_TERRAFORM=1;
#   - the aws provider $aws_provider_version in a filesystem mirror ($provider_mirror, the unpacked
#     layout; from releases.hashicorp.com, checked against its SHA256SUMS), which infra/check.sh
#     points terraform init at, so the plan needs no registry;
#   - moto_server (moto[server] from PyPI in a virtual environment under /opt/kiln-tools).
# Installing system packages needs root; when only infra/policy/node_modules is missing, it does not.
set -o nounset -o errexit -o pipefail

cd "$(dirname "$0")/.."

terraform_version=1.11.4
packer_version=1.9.5
aws_provider_version=5.100.0
provider_mirror="${KILN_TF_PLUGIN_MIRROR:-/opt/tf-plugins}"
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
# Downloads from HashiCorp need these (terraform, packer >= 1.7, the aws provider).
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

# A HashiCorp release zip for this machine (product, version, target folder), checked against
# HashiCorp's SHA256SUMS, unpacked into the folder.
hashicorp_zip() {
  local product="$1" version="$2" target="$3" download base zip arch status=0
  arch="$(dpkg --print-architecture 2>/dev/null || echo amd64)"
  download="$(mktemp -d)"
  base="https://releases.hashicorp.com/$product/$version"
  zip="${product}_${version}_linux_${arch}.zip"
  if curl -fsSL --connect-timeout 10 --max-time 600 -o "$download/$zip" "$base/$zip" &&
    curl -fsSL --connect-timeout 10 --max-time 60 -o "$download/SHA256SUMS" \
      "$base/${product}_${version}_SHA256SUMS" &&
    (cd "$download" && grep " $zip\$" SHA256SUMS | sha256sum --check --quiet -); then
    mkdir -p "$target"
    unzip -q -o "$download/$zip" -d "$target" || status=1
  else
    status=1
  fi
  rm -rf "$download"
  return "$status"
}

terraform_from_zip() {
  hashicorp_zip terraform "$terraform_version" /usr/local/bin
}

# Whether the packer on PATH is 1.7 or later.
packer_is_recent() {
  local version
  version="$(packer version 2>/dev/null | sed -n 's/^Packer v\([0-9.]*\).*/\1/p' | head -n 1)"
  [ -n "$version" ] && [ "$(printf '%s\n1.7.0\n' "$version" | sort -V | head -n 1)" = 1.7.0 ]
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

if packer_is_recent; then
  echo "present: $(packer version | head -n 1)"
else
  as_root "installing packer $packer_version"
  echo "installing: packer $packer_version (the templates need 1.7 or later; found $(packer version 2>/dev/null | head -n 1))"
  if hashicorp_zip packer "$packer_version" /usr/local/bin && packer_is_recent; then
    echo "installed: packer $packer_version from releases.hashicorp.com"
  else
    echo "install-tools: packer $packer_version NOT installed (releases.hashicorp.com unreachable): infra/check.sh validates the templates with Packer 1.6 rules" >&2
  fi
fi

provider_dir="$provider_mirror/registry.terraform.io/hashicorp/aws/$aws_provider_version/linux_$(dpkg --print-architecture 2>/dev/null || echo amd64)"
if compgen -G "$provider_dir/terraform-provider-aws_*" >/dev/null; then
  echo "present: terraform-provider-aws $aws_provider_version in $provider_mirror"
else
  as_root "installing terraform-provider-aws $aws_provider_version"
  echo "installing: terraform-provider-aws $aws_provider_version into $provider_mirror"
  if ! hashicorp_zip terraform-provider-aws "$aws_provider_version" "$provider_dir"; then
    echo "install-tools: terraform-provider-aws NOT installed (releases.hashicorp.com unreachable): the terraform plan check cannot run; copy the provider into $provider_dir by hand" >&2
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
