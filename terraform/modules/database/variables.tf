variable "name" {
  description = "Prefix of every resource name, for example kiln-dev."
  type        = string
}

variable "vpc_id" {
  description = "The VPC."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets, in at least two zones (an RDS subnet group needs two)."
  type        = list(string)
}

variable "client_security_groups" {
  description = "Security groups allowed to connect, by a name known at plan time (web, scheduler)."
  type        = map(string)
}

variable "engine_version" {
  description = "PostgreSQL major version; RDS applies minor versions (auto_minor_version_upgrade)."
  type        = string
  default     = "16"

  validation {
    condition     = can(regex("^[0-9]+$", var.engine_version))
    error_message = "Give the major version only (16): a pinned minor version fights the automatic minor upgrades."
  }
}

variable "instance_class" {
  description = "Instance class: db.t4g.micro in dev."
  type        = string
  default     = "db.t4g.micro"
}

variable "allocated_storage_gb" {
  description = "Initial storage."
  type        = number
  default     = 20
}

variable "max_allocated_storage_gb" {
  description = "Storage autoscaling ceiling."
  type        = number
  default     = 100
}

variable "multi_az" {
  description = "Standby in a second zone (prod)."
  type        = bool
  default     = false
}

variable "backup_retention_days" {
  description = "Automated backup retention."
  type        = number
  default     = 7
}

variable "deletion_protection" {
  description = "Refuse deletion and take a final snapshot (prod)."
  type        = bool
  default     = true
}

variable "ca_cert_identifier" {
  description = "RDS certificate authority of the server certificate; clients verify it (sslmode=verify-full)."
  type        = string
  default     = "rds-ca-rsa2048-g1"
}
