variable "region" {
  type        = string
  description = "Region the AMI is built and registered in."
  default     = "us-east-1"
}

variable "kiln_version" {
  type        = string
  description = "Kiln version baked into the image; tagged kiln:version and checked by validate.sh."
}

variable "git_commit" {
  type        = string
  description = "Git commit of the build; tagged kiln:git-commit and checked by validate.sh."
}

variable "artifacts_dir" {
  type        = string
  description = "Folder with the built Kiln jars (see docs/runbook.md), relative to the folder packer runs in."
  default     = "../dist"
}

variable "arch" {
  type        = string
  description = "Machines the image is for: arm64 (Graviton, the CPU group's spot types) or x86_64. Picks the base image, the bake instance and TensorFlow's native build; tagged kiln:arch."
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.arch)
    error_message = "The arch variable is arm64 or x86_64."
  }
}

variable "instance_type" {
  type        = string
  description = "Instance the bake runs on; empty picks a small one of the image's architecture (c7g.large for arm64, c6a.large for x86_64). The image needs no GPU."
  default     = ""
}

variable "volume_size_gb" {
  type        = number
  description = "Root volume of the image (the CPU group's launch template asks for 16 GB)."
  default     = 16
}

variable "source_ami_owner" {
  type        = string
  description = "Owner of the base image: Debian's official AWS account."
  default     = "136693071363"
}

variable "source_ami_name" {
  type        = string
  description = "Name pattern of the base image; empty picks Debian 12 of the image's architecture (debian-12-arm64-* or debian-12-amd64-*)."
  default     = ""
}

variable "subnet_id" {
  type        = string
  description = "Subnet to bake in; empty for the default VPC."
  default     = ""
}
