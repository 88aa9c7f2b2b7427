output "primary_endpoint" {
  description = "Host of the primary node (TLS on port 6379)."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "auth_token_parameter_arn" {
  description = "SSM parameter holding the AUTH token."
  value       = aws_ssm_parameter.auth_token.arn
}

output "replication_group_id" {
  description = "Replication group id, for alarms."
  value       = aws_elasticache_replication_group.this.id
}
