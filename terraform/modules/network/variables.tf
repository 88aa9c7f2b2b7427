variable "name" {
  description = "Prefix of every resource name, for example kiln-dev."
  type        = string
}

variable "region" {
  description = "AWS region, for the S3 gateway endpoint's service name."
  type        = string
}

variable "cidr_block" {
  description = "The VPC's address range; split into /20 subnets."
  type        = string
  default     = "10.40.0.0/16"
}

variable "availability_zones" {
  description = "Zones to spread subnets over. An ALB and an RDS subnet group need two zones even when everything runs in one."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 2 && length(var.availability_zones) <= 4
    error_message = "Give two to four availability zones."
  }
}

variable "nat_gateways" {
  description = "Egress for private subnets: none (S3 gateway endpoint only), single, or per_az."
  type        = string
  default     = "none"

  validation {
    condition     = contains(["none", "single", "per_az"], var.nat_gateways)
    error_message = "nat_gateways is one of none, single, per_az."
  }
}
