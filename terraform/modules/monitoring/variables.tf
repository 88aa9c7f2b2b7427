variable "name" {
  description = "Prefix of every resource name, for example kiln-dev."
  type        = string
}

variable "log_retention_days" {
  description = "How long service logs are kept."
  type        = number
  default     = 14
}

variable "alarm_emails" {
  description = "Who gets alarms and budget warnings."
  type        = list(string)
}

variable "alb_arn_suffix" {
  description = "ALB ARN suffix from the edge module."
  type        = string
}

variable "target_group_arn_suffixes" {
  description = "Target group ARN suffix per color from the edge module."
  type        = map(string)
}

variable "db_instance_id" {
  description = "RDS instance identifier."
  type        = string
}

variable "redis_replication_group_id" {
  description = "ElastiCache replication group id."
  type        = string
}

variable "max_5xx_per_5_minutes" {
  description = "5xx answers in five minutes that raise the alarm."
  type        = number
  default     = 10
}

variable "monthly_budget_usd" {
  description = "Monthly spend of this estate (resources tagged Estate=<name>) that triggers the budget alarm; null leaves the budget out (only for an apply against an AWS emulator)."
  type        = number
}
