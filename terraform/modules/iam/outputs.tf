output "instance_profile_names" {
  description = "Instance profile per role: web, scheduler, agent."
  value       = { for role, profile in aws_iam_instance_profile.this : role => profile.name }
}

output "role_arns" {
  description = "Role ARN per role: web, scheduler, agent."
  value       = { for role, r in aws_iam_role.this : role => r.arn }
}
