variable "name" {
  description = "Prefix of every resource name and the load balancer's name (kiln release reads the ARNs from the environment's release output)."
  type        = string
}

variable "vpc_id" {
  description = "The VPC."
  type        = string
}

variable "vpc_cidr_block" {
  description = "The VPC's range; the ALB may only talk to instances inside it."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets in at least two zones."
  type        = list(string)
}

variable "zone_name" {
  description = "Existing public Route 53 hosted zone, for example example.com."
  type        = string
}

variable "domain_name" {
  description = "Name users open, for example kiln.example.com."
  type        = string
}

variable "web_port" {
  description = "Port the API server listens on."
  type        = number
  default     = 8080
}

variable "health_check_path" {
  description = "Path the ALB checks on every web instance: liveness, which answers without PostgreSQL, Redis or S3."
  type        = string
  default     = "/api/v1/health/live"
}

variable "deletion_protection" {
  description = "Refuse to delete the ALB (prod)."
  type        = bool
  default     = false
}
