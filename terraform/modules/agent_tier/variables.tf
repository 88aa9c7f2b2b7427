variable "name" {
  description = "Prefix of every resource name; the group is <name>-<kind>."
  type        = string
}

variable "kind" {
  description = "What the agents run on: gpu (the GPU AMI, tf-savedmodel) or cpu (the CPU AMI, no NVIDIA driver: parse, checksum)."
  type        = string

  validation {
    condition     = contains(["gpu", "cpu"], var.kind)
    error_message = "kind is gpu or cpu."
  }
}

variable "processors" {
  description = "Processors the agents offer (KILN_AGENT_PROCESSORS); empty offers every processor the agent has. The scheduler's groups: entry for this group names the same list."
  type        = list(string)
  default     = []
}

variable "vpc_id" {
  description = "The VPC."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets the agents run in."
  type        = list(string)
}

variable "public_ip" {
  description = "Give agents a public IP (when their subnets have no NAT gateway); they accept no inbound traffic."
  type        = bool
  default     = false
}

variable "ami_id" {
  description = "Agent AMI of this kind for the first apply; later AMIs arrive through kiln release deploy --role <kind>."
  type        = string
}

variable "architecture" {
  description = "What the AMI and the instance types are built for: x86_64, or arm64 (Graviton; the CPU image only, packer/cpu -var arch=arm64). Every instance type must run it, and ami_id, when this account owns it, must be an image of it (checked at plan)."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture is x86_64 or arm64."
  }

  validation {
    condition     = var.kind == "cpu" || var.architecture == "x86_64"
    error_message = "The GPU image is built for x86_64 only (NVIDIA's x86_64 CUDA repository, TensorFlow's linux-x86_64-gpu build): set architecture = \"x86_64\" for kind = \"gpu\"."
  }
}

variable "instance_types" {
  description = "Instance types, the first is the launch template's default; more types mean more spot pools. All of them run the architecture above."
  type        = list(string)

  validation {
    condition     = length(var.instance_types) > 0
    error_message = "instance_types names at least one type."
  }
}

variable "on_demand_percent" {
  description = "Share of on-demand instances above zero; 0 means spot only."
  type        = number
  default     = 0

  validation {
    condition     = var.on_demand_percent >= 0 && var.on_demand_percent <= 100
    error_message = "on_demand_percent is 0..100."
  }
}

variable "max_size" {
  description = "Fleet maximum: the autoscaler never asks for more."
  type        = number
  default     = 4
}

variable "drain_seconds" {
  description = "How long a terminating agent may take to finish and release its leases."
  type        = number
  default     = 600
}

variable "volume_size_gb" {
  description = "Root volume (the model cache lives there; on GPU images the CUDA runtime too)."
  type        = number
  default     = 60
}

variable "instance_profile" {
  description = "Instance profile of the agents."
  type        = string
}

variable "agent_environment" {
  description = "KEY=value settings written to /etc/kiln/kiln.env (Redis endpoint, buckets, parameter names; no secrets)."
  type        = map(string)
}
