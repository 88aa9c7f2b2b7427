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

variable "client_security_group_ids" {
  description = "Security groups allowed to connect (API and scheduler)."
  type        = list(string)
}

variable "engine_version" {
  description = "PostgreSQL version."
  type        = string
  default     = "16.4"
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
