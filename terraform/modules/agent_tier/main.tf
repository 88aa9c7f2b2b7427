# One group of agents: an Auto Scaling group from the agent AMI of its kind (var.kind: gpu or
# cpu), 0..N instances, spot first across several instance types. An estate instantiates this
# module once per group (envs/*: gpu_tier for tf-savedmodel, cpu_tier for parse and checksum).
# The scheduler's autoscaler owns the desired capacity (and protects busy agents from
# scale-in); `kiln release deploy --role <kind>` owns the launch template version. Terraform
# ignores both so it never fights them.

locals {
  group = "${var.name}-${var.kind}"
  # The agent completes its own termination hook (dev.kiln.agent.drain.DrainSettings), in the
  # group KILN_AGENT_GROUP names. KILN_GPU_GROUP, the name agents read before CPU groups existed,
  # carries the same group so an image baked before KILN_AGENT_GROUP still finds its own.
  agent_environment = merge(var.agent_environment, {
    KILN_AGENT_GROUP = local.group
    KILN_GPU_GROUP   = local.group
    KILN_DRAIN_HOOK  = local.drain_hook
    }, length(var.processors) == 0 ? {} : {
    KILN_AGENT_PROCESSORS = join(",", var.processors)
  })
  drain_hook = "drain"
  role       = "${var.kind}-agent"
  # The GPU group's security group keeps the name it had before CPU groups existed, so
  # existing estates do not replace it under running agents.
  security_group_name = var.kind == "gpu" ? "${var.name}-agent" : "${var.name}-${var.kind}-agent"
}

# What each instance type runs: a Graviton type cannot boot an x86_64 image, nor the reverse.
data "aws_ec2_instance_type" "this" {
  for_each      = toset(var.instance_types)
  instance_type = each.value
}

# The first AMI when this account owns it (a kiln release bake), and the same filtered by
# architecture: an AMI found by the first and not the second is built for another machine. An
# AMI that is not found (shared from another account, or deregistered after later releases) is
# not checked here; kiln release deploy checks every later one.
data "aws_ami_ids" "first" {
  owners = ["self"]

  filter {
    name   = "image-id"
    values = [var.ami_id]
  }
}

data "aws_ami_ids" "first_of_architecture" {
  owners = ["self"]

  filter {
    name   = "image-id"
    values = [var.ami_id]
  }

  filter {
    name   = "architecture"
    values = [var.architecture]
  }
}

locals {
  foreign_instance_types = [
    for type, described in data.aws_ec2_instance_type.this : type
    if !contains(described.supported_architectures, var.architecture)
  ]
}

resource "aws_security_group" "agent" {
  name        = local.security_group_name
  description = "${upper(var.kind)} agents: no inbound traffic"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_egress_rule" "agent_out" {
  security_group_id = aws_security_group.agent.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
  description       = "Redis, S3 and the Auto Scaling API"
}

resource "aws_launch_template" "this" {
  name                   = local.group
  image_id               = var.ami_id
  instance_type          = var.instance_types[0]
  update_default_version = false
  user_data = base64encode(templatefile("${path.module}/user-data.sh.tftpl", {
    env_lines = join("\n", [for key, value in local.agent_environment : "${key}=${value}"])
  }))

  iam_instance_profile {
    name = var.instance_profile
  }

  network_interfaces {
    associate_public_ip_address = var.public_ip
    security_groups             = [aws_security_group.agent.id]
    delete_on_termination       = true
  }

  # IMDSv2 only. Instance tags in metadata let the agent see kiln:drain=true without an API call.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "enabled"
  }

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_size           = var.volume_size_gb
      volume_type           = "gp3"
      encrypted             = true
      delete_on_termination = true
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags          = { Name = local.group, Role = local.role, Estate = var.name }
  }

  # Volumes are billed too: the budget filters on the Estate tag.
  tag_specifications {
    resource_type = "volume"
    tags          = { Name = local.group, Role = local.role, Estate = var.name, ManagedBy = "terraform" }
  }

  # Spot requests carry the estate as well.
  tag_specifications {
    resource_type = "spot-instances-request"
    tags          = { Name = local.group, Role = local.role, Estate = var.name, ManagedBy = "terraform" }
  }

  lifecycle {
    ignore_changes = [image_id]

    precondition {
      condition     = length(local.foreign_instance_types) == 0
      error_message = "The ${local.group} instance types ${join(", ", local.foreign_instance_types)} cannot run ${var.architecture} images: name ${var.architecture} types only (arm64: Graviton, such as c7g, c6g, m7g, t4g; x86_64: such as c6a, c6i, m6a) or set architecture to theirs."
    }

    precondition {
      condition     = length(data.aws_ami_ids.first.ids) == 0 || length(data.aws_ami_ids.first_of_architecture.ids) > 0
      error_message = "ami_id ${var.ami_id} is not an ${var.architecture} image, but the ${local.group} instance types (${join(", ", var.instance_types)}) are ${var.architecture} machines: bake the ${var.kind} image for ${var.architecture} (kiln release bake --role ${var.kind} --arch ${var.architecture}) or set architecture and instance_types to the image's."
    }
  }
}

resource "aws_autoscaling_group" "this" {
  name                  = local.group
  vpc_zone_identifier   = var.subnet_ids
  min_size              = 0
  max_size              = var.max_size
  desired_capacity      = 0
  capacity_rebalance    = true
  health_check_type     = "EC2"
  protect_from_scale_in = false
  enabled_metrics       = ["GroupDesiredCapacity", "GroupInServiceInstances"]

  mixed_instances_policy {
    instances_distribution {
      on_demand_base_capacity                  = 0
      on_demand_percentage_above_base_capacity = var.on_demand_percent
      spot_allocation_strategy                 = "price-capacity-optimized"
    }

    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.this.id
        version            = aws_launch_template.this.latest_version
      }

      dynamic "override" {
        for_each = var.instance_types
        content {
          instance_type = override.value
        }
      }
    }
  }

  # Agents drain on termination (scale-in, spot rebalance, rollout): they see the
  # Terminating:Wait state in instance metadata, stop leasing, finish what fits, release the
  # rest, then complete this hook themselves (dev.kiln.agent.drain), so a termination waits
  # for the work, not for the timeout.
  initial_lifecycle_hook {
    name                 = local.drain_hook
    lifecycle_transition = "autoscaling:EC2_INSTANCE_TERMINATING"
    heartbeat_timeout    = var.drain_seconds
    default_result       = "CONTINUE"
  }

  tag {
    key                 = "Role"
    value               = local.role
    propagate_at_launch = true
  }

  lifecycle {
    ignore_changes = [
      desired_capacity,
      mixed_instances_policy[0].launch_template[0].launch_template_specification[0].version,
    ]
  }
}
