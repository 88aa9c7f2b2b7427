variable "bucket_prefix" {
  description = "First part of every bucket name: kiln gives kiln-uploads-us-east-1."
  type        = string
}

variable "region" {
  description = "AWS region; part of every bucket name (one set of buckets per region)."
  type        = string
}

variable "upload_retention_days" {
  description = "Uploaded inputs are deleted this many days after upload."
  type        = number
  default     = 30
}

variable "result_retention_days" {
  description = "Results are deleted this many days after they are written."
  type        = number
  default     = 90
}

variable "abort_multipart_after_days" {
  description = "Incomplete multipart uploads are aborted (and stop costing) after this many days."
  type        = number
  default     = 1
}

variable "allowed_origins" {
  description = "Web origins that may upload with presigned URLs, for example https://kiln.example.com."
  type        = list(string)
}

variable "force_destroy" {
  description = "Let terraform destroy delete non-empty buckets (dev only)."
  type        = bool
  default     = false
}
