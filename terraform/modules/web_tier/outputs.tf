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
  description = "Auto Scaling group of the schedulers; null when they run on the web instances."
  value       = one(aws_autoscaling_group.scheduler[*].name)
}

output "web_launch_template_names" {
  description = "Launch template per color."
  value       = { for color, template in aws_launch_template.web : color => template.name }
}

output "scheduler_launch_template_name" {
  description = "Launch template of the schedulers; null when they run on the web instances."
  value       = one(aws_launch_template.scheduler[*].name)
}

output "jwt_key_parameter_arn" {
  description = "SSM parameter holding the API's token signing key."
  value       = aws_ssm_parameter.jwt_key.arn
}

output "bootstrap_admin_parameter_arn" {
  description = "SSM parameter holding the first administrator's one-time password."
  value       = aws_ssm_parameter.bootstrap_admin_password.arn
}
