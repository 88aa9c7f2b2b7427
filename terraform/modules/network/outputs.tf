output "vpc_id" {
  description = "The VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "The VPC's address range."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "One public subnet per zone (ALB, and compute when there is no NAT)."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "One private subnet per zone (data stores, and compute behind NAT)."
  value       = aws_subnet.private[*].id
}

output "has_nat" {
  description = "Whether private subnets can reach the internet."
  value       = local.nat_count > 0
}
