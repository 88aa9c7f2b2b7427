output "web_security_group_id" {
  description = "Security group of the API servers."
  value       = aws_security_group.web.id
}

output "scheduler_security_group_id" {
  description = "Security group of the schedulers."
  value       = aws_security_group.scheduler.id
}

output "web_group_names" {
  description = "Auto Scaling group per color."
  value       = { for color, group in aws_autoscaling_group.web : color => group.name }
}

output "scheduler_group_name" {
  description = "Auto Scaling group of the schedulers."
  value       = aws_autoscaling_group.scheduler.name
}

output "jwt_key_parameter_arn" {
  description = "SSM parameter holding the API's token signing key."
  value       = aws_ssm_parameter.jwt_key.arn
}
