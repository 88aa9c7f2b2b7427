# Redis on ElastiCache: the work queue. Private subnets, encrypted at rest and in transit
# (TLS), an AUTH token kept in SSM, reachable only from the API, scheduler and agents.

resource "aws_elasticache_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "aws_security_group" "this" {
  name        = "${var.name}-redis"
  description = "Redis, reachable from Kiln services and agents only"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "clients" {
  for_each = toset(var.client_security_group_ids)

  security_group_id            = aws_security_group.this.id
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
  description                  = "Redis from a Kiln service or agent"
}

resource "random_password" "auth" {
  length  = 48
  special = false
}

resource "aws_ssm_parameter" "auth_token" {
  name        = "/${var.name}/redis/auth-token"
  description = "AUTH token of the Kiln Redis"
  type        = "SecureString"
  value       = random_password.auth.result
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id = var.name
  description          = "Kiln work queue"
  engine               = "redis"
  engine_version       = var.engine_version
  node_type            = var.node_type
  port                 = 6379

  num_cache_clusters         = var.replicas + 1
  automatic_failover_enabled = var.replicas > 0
  multi_az_enabled           = var.replicas > 0

  subnet_group_name  = aws_elasticache_subnet_group.this.name
  security_group_ids = [aws_security_group.this.id]

  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
  auth_token                 = random_password.auth.result

  snapshot_retention_limit = var.snapshot_retention_days
  apply_immediately        = true
}
