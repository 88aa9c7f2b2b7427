# The web tier: API server in two colors (blue, green), one Auto Scaling group and launch
# template each, and the scheduler group. All instances come from the web AMI.
#
# `kiln release` owns each color's size and launch template version after the first
# apply (it pins min = desired on deploy and rollback), so Terraform ignores them.

locals {
  colors = toset(["blue", "green"])

  user_data = {
    for service in ["api", "scheduler"] : service => base64encode(templatefile("${path.module}/user-data.sh.tftpl", {
      service   = service
      env_lines = join("\n", [for key, value in var.service_environment : "${key}=${value}"])
    }))
  }
}

# The key the API servers sign access tokens with, shared by every instance of both colors;
# kiln-runtime-env reads it at each start. Rotation: docs/runbook.md, "Rotating a secret".
resource "random_password" "jwt_key" {
  length  = 64
  special = false
}

resource "aws_ssm_parameter" "jwt_key" {
  name        = "/${var.name}/api/jwt-key"
  description = "Signing key of the Kiln API's access tokens"
  type        = "SecureString"
  value       = random_password.jwt_key.result
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
  health_check_type         = "ELB"
  health_check_grace_period = 180
  min_size                  = each.key == "blue" ? var.web_size : 0
  max_size                  = var.web_max_size
  desired_capacity          = each.key == "blue" ? var.web_size : 0
  enabled_metrics           = ["GroupDesiredCapacity", "GroupInServiceInstances"]

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
}

# Leader-elected; a fixed size, replaced by an instance refresh when the AMI changes.
resource "aws_autoscaling_group" "scheduler" {
  name                = "${var.name}-scheduler"
  vpc_zone_identifier = var.subnet_ids
  min_size            = var.scheduler_count
  max_size            = var.scheduler_count
  desired_capacity    = var.scheduler_count
  health_check_type   = "EC2"

  launch_template {
    id      = aws_launch_template.scheduler.id
    version = aws_launch_template.scheduler.latest_version
  }

  instance_refresh {
    strategy = "Rolling"

    preferences {
      min_healthy_percentage = var.scheduler_count > 1 ? 50 : 0
    }
  }
}
