# Kept in its own file: Packer 1.7+ needs it (`packer init`), Packer 1.6 cannot read it, so
# infra/check.sh validates the other files of this folder without it.
packer {
  required_version = ">= 1.7.0"

  required_plugins {
    amazon = {
      source  = "github.com/hashicorp/amazon"
      version = ">= 1.2.0"
    }
    ansible = {
      source  = "github.com/hashicorp/ansible"
      version = ">= 1.1.0"
    }
  }
}
