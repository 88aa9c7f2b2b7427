output "endpoint" {
  description = "host:port of the database."
  value       = aws_db_instance.this.endpoint
}

output "password_parameter_arn" {
  description = "SSM parameter holding the password."
  value       = aws_ssm_parameter.password.arn
}

output "instance_id" {
  description = "RDS instance identifier, for alarms."
  value       = aws_db_instance.this.identifier
}
