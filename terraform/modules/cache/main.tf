# Redis (or Valkey, its open-source fork, 20% cheaper per node hour) on ElastiCache: the work
# queue. Private subnets, encrypted at rest and in transit (TLS), an AUTH token kept in SSM,
# reachable only from the API, scheduler and agents. Nothing may be evicted (noeviction): a
# lost lease or queue entry would be found again only by the scheduler's rebuild, so a full
# Redis must refuse writes (and raise the memory alarm) instead.

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
  # Static keys (web, scheduler, agent): the group ids are not known until apply.
  for_each = var.client_security_groups

  security_group_id            = aws_security_group.this.id
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
  description                  = "Redis from a Kiln service or agent"
}

# Drawn at every plan; only the first one is kept (ignore_changes below and on the group).
data "aws_secretsmanager_random_password" "auth" {
  password_length     = 48
  exclude_punctuation = true
}

resource "aws_ssm_parameter" "auth_token" {
  name        = "/${var.name}/redis/auth-token"
  description = "AUTH token of the Kiln Redis"
  type        = "SecureString"
  value       = data.aws_secretsmanager_random_password.auth.random_password

  lifecycle {
    ignore_changes = [value]
  }
}

resource "aws_elasticache_parameter_group" "this" {
  name   = var.name
  family = "${var.engine}${split(".", var.engine_version)[0]}"

  parameter {
    name  = "maxmemory-policy"
    value = "noeviction"
  }
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id = var.name
  description          = "Kiln work queue"
  engine               = var.engine
  engine_version       = var.engine_version
  node_type            = var.node_type
  port                 = 6379
  parameter_group_name = aws_elasticache_parameter_group.this.name

  num_cache_clusters         = var.replicas + 1
  automatic_failover_enabled = var.replicas > 0
  multi_az_enabled           = var.replicas > 0

  subnet_group_name  = aws_elasticache_subnet_group.this.name
  security_group_ids = [aws_security_group.this.id]

  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
  auth_token                 = data.aws_secretsmanager_random_password.auth.random_password

  snapshot_retention_limit = var.snapshot_retention_days
  apply_immediately        = true

  tags = { Name = var.name }

  lifecycle {
    # Rotation goes through the SSM parameter (docs/runbook.md, "Rotating a secret").
    ignore_changes = [auth_token]
  }
}
