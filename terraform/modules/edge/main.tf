# The public edge: DNS name, TLS certificate, ALB, and two target groups (blue, green).
# `kiln release` owns which color is live: it rewrites the weights of every forward
# action that names both colors, so Terraform ignores those actions after creation.

locals {
  colors = toset(["blue", "green"])
  # Weighted forward to both colors; blue is live after the first apply.
  forward_both = {
    blue  = 100
    green = 0
  }
}

data "aws_route53_zone" "this" {
  name         = var.zone_name
  private_zone = false
}

resource "aws_acm_certificate" "this" {
  domain_name       = var.domain_name
  validation_method = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "validation" {
  for_each = {
    for option in aws_acm_certificate.this.domain_validation_options : option.domain_name => option
  }

  zone_id = data.aws_route53_zone.this.zone_id
  name    = each.value.resource_record_name
  type    = each.value.resource_record_type
  records = [each.value.resource_record_value]
  ttl     = 300
}

resource "aws_acm_certificate_validation" "this" {
  certificate_arn         = aws_acm_certificate.this.arn
  validation_record_fqdns = [for record in aws_route53_record.validation : record.fqdn]
}

resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "Public HTTP and HTTPS to the load balancer"
  vpc_id      = var.vpc_id
}

# The only ingress from the internet in the whole estate.
resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  security_group_id = aws_security_group.alb.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  description       = "HTTPS from anywhere"
}

resource "aws_vpc_security_group_ingress_rule" "alb_http" {
  security_group_id = aws_security_group.alb.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  description       = "HTTP from anywhere, redirected to HTTPS"
}

resource "aws_vpc_security_group_egress_rule" "alb_to_web" {
  security_group_id = aws_security_group.alb.id
  cidr_ipv4         = var.vpc_cidr_block
  ip_protocol       = "tcp"
  from_port         = var.web_port
  to_port           = var.web_port
  description       = "To the web instances"
}

resource "aws_lb" "this" {
  name                       = var.name
  load_balancer_type         = "application"
  internal                   = false
  security_groups            = [aws_security_group.alb.id]
  subnets                    = var.public_subnet_ids
  drop_invalid_header_fields = true
  idle_timeout               = 120
  enable_deletion_protection = var.deletion_protection

  tags = { Name = var.name }
}

resource "aws_lb_target_group" "this" {
  for_each = local.colors

  name                 = "${var.name}-web-${each.key}"
  port                 = var.web_port
  protocol             = "HTTP"
  vpc_id               = var.vpc_id
  target_type          = "instance"
  deregistration_delay = 30

  # Liveness only: readiness (/api/v1/health) needs PostgreSQL, Redis and S3, and one database
  # failover would then take every target out and have the groups replace every instance.
  health_check {
    path                = var.health_check_path
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  tags = { Color = each.key }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate_validation.this.certificate_arn

  default_action {
    type = "forward"

    forward {
      dynamic "target_group" {
        for_each = local.forward_both
        content {
          arn    = aws_lb_target_group.this[target_group.key].arn
          weight = target_group.value
        }
      }
    }
  }

  lifecycle {
    ignore_changes = [default_action]
  }
}

# Rule order (lowest priority number first): operational paths are blocked (5), then a
# preview header picks one color (6, 7), then /api/* goes to the weighted pair (10). A preview
# rule after /api/* would never see an API request.
locals {
  priorities = {
    block_operational = 5
    preview_blue      = 6
    preview_green     = 7
    api               = 10
  }
}

# API requests: same weighted pair as the default action, so a flip moves both together.
resource "aws_lb_listener_rule" "api" {
  listener_arn = aws_lb_listener.https.arn
  priority     = local.priorities.api

  condition {
    path_pattern {
      values = ["/api/*"]
    }
  }

  action {
    type = "forward"

    forward {
      dynamic "target_group" {
        for_each = local.forward_both
        content {
          arn    = aws_lb_target_group.this[target_group.key].arn
          weight = target_group.value
        }
      }
    }
  }

  lifecycle {
    ignore_changes = [action]
  }
}

# Operational endpoints are never served to the internet.
resource "aws_lb_listener_rule" "block_operational" {
  listener_arn = aws_lb_listener.https.arn
  priority     = local.priorities.block_operational

  condition {
    path_pattern {
      values = ["/admin/*", "/metrics*", "/healthcheck*"]
    }
  }

  action {
    type = "fixed-response"

    fixed_response {
      content_type = "text/plain"
      message_body = "Not found"
      status_code  = "404"
    }
  }
}

# Preview one color before a flip: send the header X-Kiln-Color: green (or blue).
resource "aws_lb_listener_rule" "preview" {
  for_each = local.colors

  listener_arn = aws_lb_listener.https.arn
  priority     = local.priorities["preview_${each.key}"]

  condition {
    http_header {
      http_header_name = "X-Kiln-Color"
      values           = [each.key]
    }
  }

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this[each.key].arn
  }
}

resource "aws_route53_record" "this" {
  zone_id = data.aws_route53_zone.this.zone_id
  name    = var.domain_name
  type    = "A"

  alias {
    name                   = aws_lb.this.dns_name
    zone_id                = aws_lb.this.zone_id
    evaluate_target_health = true
  }
}
