variable "region" {
  description = "AWS region of the estate."
  type        = string
  default     = "us-east-1"
}

variable "availability_zones" {
  description = "Zones everything spreads over."
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b", "us-east-1c"]
}

variable "zone_name" {
  description = "Existing public Route 53 hosted zone."
  type        = string
}

variable "domain_name" {
  description = "Name users open, for example kiln.example.com."
  type        = string
}

variable "web_ami_id" {
  description = "Web AMI for the first apply (kiln release bake --role web); later applies ignore it."
  type        = string
}

variable "gpu_ami_id" {
  description = "GPU AMI for the first apply (kiln release bake --role gpu); later applies ignore it."
  type        = string
}

variable "cpu_ami_id" {
  description = "CPU agent AMI for the first apply (kiln release bake --role cpu); later applies ignore it."
  type        = string
}

variable "alarm_emails" {
  description = "Who gets alarms and budget warnings."
  type        = list(string)
}

variable "ses_identity_arn" {
  description = "Verified SES identity for notification e-mail."
  type        = string
}

variable "monthly_budget_usd" {
  description = "Budget alarm threshold for the prod estate."
  type        = number
  default     = 1500
}

variable "cpu_max_size" {
  description = "Fleet maximum of CPU agents (parse, checksum)."
  type        = number
  default     = 16
}

variable "gpu_max_size" {
  description = "Fleet maximum of GPU agents."
  type        = number
  default     = 8
}

variable "admin_email" {
  description = "The first administrator: the API creates this account at start while there is none, with the one-time password in SSM (docs/runbook.md)."
  type        = string
}
