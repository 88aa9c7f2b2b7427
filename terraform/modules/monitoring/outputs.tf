output "log_group_arns" {
  description = "Log group ARN per role: web, scheduler, agent."
  value       = { for role, group in aws_cloudwatch_log_group.this : role => group.arn }
}

output "log_group_names" {
  description = "Log group name per role: web, scheduler, agent."
  value       = { for role, group in aws_cloudwatch_log_group.this : role => group.name }
}

output "alarm_topic_arn" {
  description = "SNS topic alarms go to."
  value       = aws_sns_topic.alarms.arn
}
