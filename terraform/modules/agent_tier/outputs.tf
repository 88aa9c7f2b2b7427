output "agent_security_group_id" {
  description = "Security group of the agents."
  value       = aws_security_group.agent.id
}

output "group_name" {
  description = "Auto Scaling group of the agents."
  value       = aws_autoscaling_group.this.name
}

output "launch_template_name" {
  description = "Launch template of the agents."
  value       = aws_launch_template.this.name
}
