variable "region" {
  description = "AWS region of the estate."
  type        = string
  default     = "us-east-1"
}

variable "availability_zones" {
  description = "Two zones: compute runs in the first, the second holds the ALB's and RDS's spare subnets."
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b"]
}

variable "zone_name" {
  description = "Existing public Route 53 hosted zone."
  type        = string
}

variable "domain_name" {
  description = "Name of the dev estate, for example kiln-dev.example.com."
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
  description = "Budget alarm threshold for the dev estate."
  type        = number
  default     = 120
}

variable "office_hours" {
  description = "When the dev web tier (API and scheduler) runs: weekdays 07:00-19:00 by default; null runs it always."
  type = object({
    wake      = string
    sleep     = string
    time_zone = string
  })
  default = {
    wake      = "0 7 * * 1-5"
    sleep     = "0 19 * * 1-5"
    time_zone = "Etc/UTC"
  }
}

variable "admin_email" {
  description = "The first administrator: the API creates this account at start while there is none, with the one-time password in SSM (docs/runbook.md)."
  type        = string
}

variable "emulator_leaves_out" {
  description = "Only for an apply against moto_server (infra/terraform-apply.sh, TerraformEstateReleaseIT); empty on AWS. Parts moto cannot create, left out: database (RDS: moto reports the instance available only after the provider's polls, about three minutes), cache (ElastiCache: moto does not implement CreateCacheParameterGroup), budget (AWS Budgets: moto does not implement DescribeSubscribersForNotification, so the provider retries until it times out)."
  type        = set(string)
  default     = []

  validation {
    condition     = alltrue([for part in var.emulator_leaves_out : contains(["database", "cache", "budget"], part)])
    error_message = "emulator_leaves_out takes database, cache and budget only."
  }
}
