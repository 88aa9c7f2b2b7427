variable "name" {
  description = "Prefix of every resource name, for example kiln-dev."
  type        = string
}

variable "vpc_id" {
  description = "The VPC."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets."
  type        = list(string)
}

variable "client_security_group_ids" {
  description = "Security groups allowed to connect (API, scheduler, agents)."
  type        = list(string)
}

variable "engine_version" {
  description = "Redis version."
  type        = string
  default     = "7.1"
}

variable "node_type" {
  description = "Node type: cache.t4g.micro in dev."
  type        = string
  default     = "cache.t4g.micro"
}

variable "replicas" {
  description = "Read replicas; one or more turns on automatic failover across zones (prod)."
  type        = number
  default     = 0
}

variable "snapshot_retention_days" {
  description = "Daily snapshots kept; 0 in dev (Redis is rebuilt from PostgreSQL)."
  type        = number
  default     = 0
}
