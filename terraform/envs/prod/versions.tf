terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # State in S3 with native locking (use_lockfile, Terraform >= 1.10); bucket and key come
  # from backend.hcl (terraform init -backend-config=backend.hcl), see docs/runbook.md.
  backend "s3" {}
}
