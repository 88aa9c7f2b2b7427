#!/usr/bin/env bash
# Shared by infra/terraform-plan.sh and infra/terraform-apply.sh (sourced, not run): Terraform
# offline from the provider mirror, and an environment pointed at a moto_server.

# The AWS services the environments use, each sent to moto_server.
readonly MOTO_SERVICES=(acm autoscaling budgets cloudwatch cloudwatchlogs ec2 elasticache elbv2 iam rds route53 s3 scheduler secretsmanager sns ssm sts)

# Writes a CLI configuration into $1 that installs providers from the mirror $2 only (no
# registry), with one plugin cache that links them into every .terraform folder instead of
# copying the provider (700 MB) once per folder; exports it and Terraform's non-interactive
# settings.
terraform_offline() {
  local work="$1" mirror="$2"
  mkdir -p "$work/plugin-cache"
  cat >"$work/terraformrc" <<EOF
plugin_cache_dir = "$work/plugin-cache"
plugin_cache_may_break_dependency_lock_file = true
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
  export TF_CLI_CONFIG_FILE="$work/terraformrc"
  export TF_IN_AUTOMATION=1
  export TF_INPUT=0
  export CHECKPOINT_DISABLE=1
}

# Adds moto_override.tf to the environment folder $1: a local backend and the aws provider
# pointed at the moto_server at $2 for every service.
terraform_moto_override() {
  local dir="$1" endpoint="$2" service
  {
    echo 'terraform {'
    echo '  backend "local" {}'
    echo '}'
    echo 'provider "aws" {'
    echo '  access_key                  = "kiln"'
    echo '  secret_key                  = "kiln"'
    echo '  skip_credentials_validation = true'
    echo '  skip_requesting_account_id  = false'
    echo '  skip_metadata_api_check     = true'
    echo '  s3_use_path_style           = true'
    echo '  endpoints {'
    for service in "${MOTO_SERVICES[@]}"; do
      echo "    $service = \"$endpoint\""
    done
    echo '  }'
    echo '}'
  } >"$dir/moto_override.tf"
}

# Creates in the moto_server at $1 the public hosted zone the environments look up
# (terraform.tfvars.example: example.com).
moto_hosted_zone() {
  curl -fs -o /dev/null -X POST "$1/2013-04-01/hostedzone" \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=kiln/20250101/us-east-1/route53/aws4_request, SignedHeaders=host, Signature=0' \
    -H 'Content-Type: application/xml' \
    --data '<?xml version="1.0" encoding="UTF-8"?><CreateHostedZoneRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Name>example.com.</Name><CallerReference>kiln-plan</CallerReference></CreateHostedZoneRequest>'
}
