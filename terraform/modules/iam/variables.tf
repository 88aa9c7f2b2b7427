variable "name" {
  description = "Prefix of every resource name, for example kiln-dev."
  type        = string
}

variable "region" {
  description = "AWS region."
  type        = string
}

variable "bucket_arns" {
  description = "Bucket ARNs by purpose (uploads, results, ops) from the storage module."
  type = object({
    uploads = string
    results = string
    ops     = string
  })
}

variable "agent_group_names" {
  description = "Names of the agent Auto Scaling groups (GPU and CPU): the only groups the scheduler resizes and whose termination hooks agents complete."
  type        = list(string)

  validation {
    condition     = length(var.agent_group_names) > 0
    error_message = "agent_group_names names at least the GPU group."
  }
}

variable "log_group_arns" {
  description = "CloudWatch log group ARN per role (web, scheduler, agent)."
  type        = map(string)
}

variable "secret_parameters" {
  description = "SSM parameter ARNs each role may read (web, scheduler, agent)."
  type        = map(list(string))
}

variable "ses_identity_arn" {
  description = "SES identity the scheduler sends notification e-mail from."
  type        = string
}

variable "web_runs_scheduler" {
  description = "The web instances run the scheduler too (dev): their role gets the scheduler's permissions."
  type        = bool
  default     = false
}
