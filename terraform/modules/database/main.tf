# PostgreSQL on RDS: private subnets only, encrypted at rest, TLS enforced (clients verify
# the server against the RDS CA named below), reachable only from the security groups the
# caller names (API and scheduler). The password comes from Secrets Manager's password
# generator and lives in an SSM SecureString parameter (free tier of Parameter Store).

resource "aws_db_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "aws_security_group" "this" {
  name        = "${var.name}-postgres"
  description = "PostgreSQL, reachable from Kiln services only"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "clients" {
  # Static keys (web, scheduler): the group ids are not known until apply.
  for_each = var.client_security_groups

  security_group_id            = aws_security_group.this.id
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  description                  = "PostgreSQL from a Kiln service"
}

resource "aws_db_parameter_group" "this" {
  name   = var.name
  family = "postgres${split(".", var.engine_version)[0]}"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
}

# Drawn at every plan; only the first one is kept (ignore_changes below and on the instance).
data "aws_secretsmanager_random_password" "master" {
  password_length     = 32
  exclude_punctuation = true
}

resource "aws_ssm_parameter" "password" {
  name        = "/${var.name}/postgres/password"
  description = "Password of the Kiln PostgreSQL user"
  type        = "SecureString"
  value       = data.aws_secretsmanager_random_password.master.random_password

  lifecycle {
    ignore_changes = [value]
  }
}

resource "aws_db_instance" "this" {
  identifier     = var.name
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = var.instance_class

  allocated_storage     = var.allocated_storage_gb
  max_allocated_storage = var.max_allocated_storage_gb
  storage_type          = "gp3"
  storage_encrypted     = true

  db_name  = "kiln"
  username = "kiln"
  password = data.aws_secretsmanager_random_password.master.random_password

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.this.id]
  parameter_group_name   = aws_db_parameter_group.this.name
  publicly_accessible    = false
  multi_az               = var.multi_az

  backup_retention_period    = var.backup_retention_days
  deletion_protection        = var.deletion_protection
  skip_final_snapshot        = !var.deletion_protection
  final_snapshot_identifier  = var.deletion_protection ? "${var.name}-final" : null
  copy_tags_to_snapshot      = true
  auto_minor_version_upgrade = true

  # The CA the clients verify the server with (sslmode=verify-full): its bundle is baked into
  # the web AMI (ansible/roles/common) as /etc/kiln/rds-ca.pem.
  ca_cert_identifier = var.ca_cert_identifier

  performance_insights_enabled = false

  tags = { Name = var.name }

  lifecycle {
    # Rotation goes through the SSM parameter (docs/runbook.md, "Rotating a secret").
    ignore_changes = [password]
  }
}
