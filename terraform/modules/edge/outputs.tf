output "alb_security_group_id" {
  description = "Security group of the ALB; web instances accept traffic from it only."
  value       = aws_security_group.alb.id
}

output "target_group_arns" {
  description = "Target group ARN per color."
  value       = { for color, group in aws_lb_target_group.this : color => group.arn }
}

output "target_group_arn_suffixes" {
  description = "Target group ARN suffix per color, for CloudWatch dimensions."
  value       = { for color, group in aws_lb_target_group.this : color => group.arn_suffix }
}

output "alb_arn_suffix" {
  description = "ALB ARN suffix, for CloudWatch dimensions."
  value       = aws_lb.this.arn_suffix
}

output "url" {
  description = "The address users open."
  value       = "https://${var.domain_name}"
}

output "alb_arn" {
  description = "The load balancer, for kiln release."
  value       = aws_lb.this.arn
}

output "https_listener_arn" {
  description = "The HTTPS listener whose weighted forward actions kiln release rewrites."
  value       = aws_lb_listener.https.arn
}
