# The web tier: API server in two colors (blue, green), one Auto Scaling group and launch
# template each, and the scheduler group. All instances come from the web AMI. With
# scheduler_on_web (dev) there is no scheduler group: every web instance runs the scheduler
# too (leader-elected, so two colors during a release still make one leader).
#
# `kiln release` owns each color's size and launch template version after the first
# apply (it pins min = desired on deploy and rollback), so Terraform ignores them. Every
# template ignores image_id: AMIs arrive as new versions made by `kiln release deploy`, and
# var.ami_id is used only when a template is created, so a later apply never rolls an image
# back.

locals {
  colors = toset(["blue", "green"])

  web_services = var.scheduler_on_web ? ["api", "scheduler"] : ["api"]

  # KILN_METRICS_LOG_GROUP: where the CloudWatch agent writes the scheduler's backlog metric,
  # a log group the instance's role may write to.
  user_data = {
    api = base64encode(templatefile("${path.module}/user-data.sh.tftpl", {
      services  = local.web_services
      env_lines = join("\n", [for key, value in merge(var.service_environment, { KILN_METRICS_LOG_GROUP = "/${var.name}/web" }) : "${key}=${value}"])
    }))
    scheduler = base64encode(templatefile("${path.module}/user-data.sh.tftpl", {
      services  = ["scheduler"]
      env_lines = join("\n", [for key, value in merge(var.service_environment, { KILN_METRICS_LOG_GROUP = "/${var.name}/scheduler" }) : "${key}=${value}"])
    }))
  }
}

# The key the API servers sign access tokens with, shared by every instance of both colors;
# kiln-runtime-env reads it at each start. Drawn by Secrets Manager's password generator at
# every plan; only the first one is kept. Rotation: docs/runbook.md, "Rotating a secret".
data "aws_secretsmanager_random_password" "jwt_key" {
  password_length     = 64
  exclude_punctuation = true
}

resource "aws_ssm_parameter" "jwt_key" {
  name        = "/${var.name}/api/jwt-key"
  description = "Signing key of the Kiln API's access tokens"
  type        = "SecureString"
  value       = data.aws_secretsmanager_random_password.jwt_key.random_password

  lifecycle {
    ignore_changes = [value]
  }
}

# The first administrator's one-time password: the API creates var.admin_email as administrator
# at start while there is none (docs/runbook.md, "The first administrator"). No SSH, no shell.
data "aws_secretsmanager_random_password" "bootstrap_admin" {
  password_length     = 32
  exclude_punctuation = true
}

resource "aws_ssm_parameter" "bootstrap_admin_password" {
  name        = "/${var.name}/api/bootstrap-admin-password"
  description = "One-time password of the first Kiln administrator (change it after the first login)"
  type        = "SecureString"
  value       = data.aws_secretsmanager_random_password.bootstrap_admin.random_password

  lifecycle {
    ignore_changes = [value]
  }
}

resource "aws_security_group" "web" {
  name        = "${var.name}-web"
  description = "API servers: traffic from the ALB only"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "web_from_alb" {
  security_group_id            = aws_security_group.web.id
  referenced_security_group_id = var.alb_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = var.web_port
  to_port                      = var.web_port
  description                  = "HTTP from the ALB"
}

resource "aws_vpc_security_group_egress_rule" "web_out" {
  security_group_id = aws_security_group.web.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
  description       = "PostgreSQL, Redis, S3 and AWS APIs"
}

resource "aws_security_group" "scheduler" {
  name        = "${var.name}-scheduler"
  description = "Schedulers: no inbound traffic"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_egress_rule" "scheduler_out" {
  security_group_id = aws_security_group.scheduler.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
  description       = "PostgreSQL, Redis, S3, AWS APIs, e-mail and webhooks"
}

resource "aws_launch_template" "web" {
  for_each = local.colors

  name                   = "${var.name}-web-${each.key}"
  image_id               = var.ami_id
  instance_type          = var.web_instance_type
  user_data              = local.user_data["api"]
  update_default_version = false

  iam_instance_profile {
    name = var.web_instance_profile
  }

  network_interfaces {
    associate_public_ip_address = var.public_ip
    security_groups             = [aws_security_group.web.id]
    delete_on_termination       = true
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "enabled"
  }

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_size           = 16
      volume_type           = "gp3"
      encrypted             = true
      delete_on_termination = true
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags          = { Name = "${var.name}-web-${each.key}", Role = "web", Color = each.key, Estate = var.name }
  }

  # Volumes are billed too: the budget filters on the Estate tag.
  tag_specifications {
    resource_type = "volume"
    tags          = { Name = "${var.name}-web-${each.key}", Role = "web", Estate = var.name, ManagedBy = "terraform" }
  }

  # New AMIs arrive as new versions made by `kiln release deploy`.
  lifecycle {
    ignore_changes = [image_id]
  }
}

resource "aws_autoscaling_group" "web" {
  for_each = local.colors

  name                      = "${var.name}-web-${each.key}"
  vpc_zone_identifier       = var.subnet_ids
  target_group_arns         = [var.target_group_arns[each.key]]
  health_check_grace_period = 180
  min_size                  = each.key == "blue" ? var.web_size : 0
  max_size                  = var.web_max_size
  desired_capacity          = each.key == "blue" ? var.web_size : 0
  enabled_metrics           = ["GroupDesiredCapacity", "GroupInServiceInstances"]

  # ELB health checks against the liveness path (modules/edge): an instance whose server
  # process hangs is replaced; one whose database is away is not.
  health_check_type = "ELB"

  launch_template {
    id      = aws_launch_template.web[each.key].id
    version = aws_launch_template.web[each.key].latest_version
  }

  tag {
    key                 = "Color"
    value               = each.key
    propagate_at_launch = true
  }

  lifecycle {
    ignore_changes = [desired_capacity, min_size, launch_template]
  }
}

resource "aws_launch_template" "scheduler" {
  count = var.scheduler_on_web ? 0 : 1

  name                   = "${var.name}-scheduler"
  image_id               = var.ami_id
  instance_type          = var.scheduler_instance_type
  user_data              = local.user_data["scheduler"]
  update_default_version = true

  iam_instance_profile {
    name = var.scheduler_instance_profile
  }

  network_interfaces {
    associate_public_ip_address = var.public_ip
    security_groups             = [aws_security_group.scheduler.id]
    delete_on_termination       = true
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "enabled"
  }

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_size           = 16
      volume_type           = "gp3"
      encrypted             = true
      delete_on_termination = true
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags          = { Name = "${var.name}-scheduler", Role = "scheduler", Estate = var.name }
  }

  tag_specifications {
    resource_type = "volume"
    tags          = { Name = "${var.name}-scheduler", Role = "scheduler", Estate = var.name, ManagedBy = "terraform" }
  }

  # New AMIs arrive as new versions made by `kiln release deploy --role web`, which rolls the
  # schedulers too; a Terraform change makes a version that keeps the latest image.
  lifecycle {
    ignore_changes = [image_id]
  }
}

# Leader-elected; a fixed size. A Terraform change to the template reaches the instances by
# the instance refresh below; a new AMI by `kiln release deploy --role web`, which replaces
# the schedulers one at a time (the leader hands over to the other).
resource "aws_autoscaling_group" "scheduler" {
  count = var.scheduler_on_web ? 0 : 1

  name                = "${var.name}-scheduler"
  vpc_zone_identifier = var.subnet_ids
  min_size            = var.scheduler_count
  max_size            = var.scheduler_count
  desired_capacity    = var.scheduler_count
  health_check_type   = "EC2"

  launch_template {
    id      = aws_launch_template.scheduler[0].id
    version = aws_launch_template.scheduler[0].latest_version
  }

  instance_refresh {
    strategy = "Rolling"

    preferences {
      min_healthy_percentage = var.scheduler_count > 1 ? 50 : 0
    }
  }
}

# Each color follows its CPU between its minimum (pinned by kiln release) and web_max_size.
resource "aws_autoscaling_policy" "web_cpu" {
  for_each = local.colors

  name                   = "${var.name}-web-${each.key}-cpu"
  autoscaling_group_name = aws_autoscaling_group.web[each.key].name
  policy_type            = "TargetTrackingScaling"

  target_tracking_configuration {
    target_value = var.web_cpu_target_percent

    predefined_metric_specification {
      predefined_metric_type = "ASGAverageCPUUtilization"
    }
  }
}

# Office hours (dev): both colors sleep at night and at weekends; the live color wakes with its
# size. kiln release moves the wake size to the new live color at every flip, so Terraform
# ignores it after creation.
resource "aws_autoscaling_schedule" "sleep" {
  for_each = var.office_hours == null ? toset([]) : local.colors

  scheduled_action_name  = "kiln-sleep-${each.key}"
  autoscaling_group_name = aws_autoscaling_group.web[each.key].name
  recurrence             = var.office_hours.sleep
  time_zone              = var.office_hours.time_zone
  min_size               = 0
  max_size               = -1
  desired_capacity       = 0
}

resource "aws_autoscaling_schedule" "wake" {
  for_each = var.office_hours == null ? toset([]) : local.colors

  scheduled_action_name  = "kiln-wake-${each.key}"
  autoscaling_group_name = aws_autoscaling_group.web[each.key].name
  recurrence             = var.office_hours.wake
  time_zone              = var.office_hours.time_zone
  min_size               = each.key == "blue" ? var.web_size : 0
  max_size               = -1
  desired_capacity       = each.key == "blue" ? var.web_size : 0

  lifecycle {
    ignore_changes = [min_size, desired_capacity]
  }
}
