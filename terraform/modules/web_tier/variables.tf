variable "name" {
  description = "Prefix of every resource name; groups are <name>-web-blue, <name>-web-green, <name>-scheduler."
  type        = string
}

variable "vpc_id" {
  description = "The VPC."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets the instances run in: one zone in dev, several in prod."
  type        = list(string)
}

variable "public_ip" {
  description = "Give instances a public IP (when their subnets have no NAT gateway); they still accept traffic from the ALB only."
  type        = bool
  default     = false
}

variable "ami_id" {
  description = "Web AMI when a template is created; later AMIs arrive through kiln release deploy (Terraform ignores image_id afterwards)."
  type        = string
}

variable "alb_security_group_id" {
  description = "Security group of the ALB."
  type        = string
}

variable "target_group_arns" {
  description = "Target group ARN per color (blue, green)."
  type        = map(string)
}

variable "web_port" {
  description = "Port the API server listens on."
  type        = number
  default     = 8080
}

variable "web_instance_type" {
  description = "Instance type of the API servers."
  type        = string
  default     = "t3.small"
}

variable "web_size" {
  description = "Instances of the live color at the first apply."
  type        = number
  default     = 1
}

variable "web_max_size" {
  description = "Ceiling of each color's group."
  type        = number
  default     = 4
}

variable "scheduler_instance_type" {
  description = "Instance type of the schedulers."
  type        = string
  default     = "t3.small"
}

variable "scheduler_count" {
  description = "Scheduler instances (leader-elected) in their own group: 2 in prod; ignored with scheduler_on_web."
  type        = number
  default     = 1
}

variable "scheduler_on_web" {
  description = "Run the scheduler on every web instance instead of its own group (dev: one instance fewer)."
  type        = bool
  default     = false
}

variable "web_cpu_target_percent" {
  description = "Average CPU of the live color that target tracking keeps."
  type        = number
  default     = 60
}

variable "office_hours" {
  description = "When the web tier runs (dev): cron recurrences that wake and put to sleep both colors, and their time zone; null runs it always."
  type = object({
    wake      = string
    sleep     = string
    time_zone = string
  })
  default = null
}

variable "web_instance_profile" {
  description = "Instance profile of the API servers."
  type        = string
}

variable "scheduler_instance_profile" {
  description = "Instance profile of the schedulers."
  type        = string
}

variable "service_environment" {
  description = "KEY=value settings written to /etc/kiln/kiln.env (endpoints, bucket names, SSM parameter names; no secrets). kiln-runtime-env resolves the parameters at each start."
  type        = map(string)
}
