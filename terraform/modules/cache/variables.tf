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

variable "client_security_groups" {
  description = "Security groups allowed to connect, by a name known at plan time (web, scheduler, agent)."
  type        = map(string)
}

variable "engine" {
  description = "redis or valkey (same protocol, 20% cheaper node hours)."
  type        = string
  default     = "redis"

  validation {
    condition     = contains(["redis", "valkey"], var.engine)
    error_message = "engine is redis or valkey."
  }
}

variable "engine_version" {
  description = "Engine version: 7.1 for redis, 8.0 for valkey."
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
