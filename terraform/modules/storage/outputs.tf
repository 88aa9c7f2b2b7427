output "bucket_names" {
  description = "Bucket names by purpose: uploads, results, ops."
  value       = { for purpose, bucket in aws_s3_bucket.this : purpose => bucket.bucket }
}

output "bucket_arns" {
  description = "Bucket ARNs by purpose: uploads, results, ops."
  value       = { for purpose, bucket in aws_s3_bucket.this : purpose => bucket.arn }
}
