# One role per kind of instance, each allowed only what its process does:
#   web       - API: presign and check uploads, read results, read release records.
#   scheduler - plan (object sizes), assemble results, resize and protect the agent groups.
#   agent     - read inputs, write result parts, finish its own termination hook.
# No action wildcards; resources are named wherever the API allows it.

data "aws_caller_identity" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  # The agent groups (GPU and CPU) and nothing else: the scheduler sizes these alone.
  agent_asg_arns = [for group in var.agent_group_names : "arn:aws:autoscaling:${var.region}:${local.account}:autoScalingGroup:*:autoScalingGroupName/${group}"]
  param_prefix   = "arn:aws:ssm:${var.region}:${local.account}:parameter/${var.name}/"
  roles          = toset(["web", "scheduler", "agent"])
}

data "aws_iam_policy_document" "assume_ec2" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  for_each = local.roles

  name               = "${var.name}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.assume_ec2.json
}

resource "aws_iam_instance_profile" "this" {
  for_each = local.roles

  name = "${var.name}-${each.key}"
  role = aws_iam_role.this[each.key].name
}

# Logs and metrics through the CloudWatch agent, and the role's own secrets.
data "aws_iam_policy_document" "common" {
  for_each = local.roles

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = ["${var.log_group_arns[each.key]}:*"]
  }

  statement {
    sid       = "PutKilnMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = ["CWAgent", "Kiln"]
    }
  }

  # The CloudWatch agent reads the instance's tags to add the AutoScalingGroupName dimension.
  statement {
    sid       = "ReadInstanceTags"
    actions   = ["ec2:DescribeTags"]
    resources = ["*"]
  }

  statement {
    sid       = "ReadOwnSecrets"
    actions   = ["ssm:GetParameter", "ssm:GetParameters"]
    resources = [for parameter in var.secret_parameters[each.key] : parameter]
  }
}

data "aws_iam_policy_document" "web" {
  statement {
    sid       = "ListOwnBuckets"
    actions   = ["s3:ListBucket"]
    resources = [var.bucket_arns.uploads, var.bucket_arns.results]
  }

  statement {
    sid = "PresignAndCheckUploads"
    actions = [
      "s3:PutObject",
      "s3:GetObject",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
    ]
    resources = ["${var.bucket_arns.uploads}/*"]
  }

  statement {
    sid       = "ServeResults"
    actions   = ["s3:GetObject", "s3:DeleteObject"]
    resources = ["${var.bucket_arns.results}/*"]
  }

  statement {
    sid       = "ReadReleaseRecords"
    actions   = ["s3:ListBucket"]
    resources = [var.bucket_arns.ops]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["releases/*"]
    }
  }

  statement {
    sid       = "ReadReleaseRecordObjects"
    actions   = ["s3:GetObject"]
    resources = ["${var.bucket_arns.ops}/releases/*"]
  }
}

data "aws_iam_policy_document" "scheduler" {
  statement {
    sid       = "ListOwnBuckets"
    actions   = ["s3:ListBucket"]
    resources = [var.bucket_arns.uploads, var.bucket_arns.results]
  }

  statement {
    sid       = "PlanFromObjectSizes"
    actions   = ["s3:GetObject", "s3:DeleteObject"]
    resources = ["${var.bucket_arns.uploads}/*"]
  }

  statement {
    sid = "AssembleResults"
    actions = [
      "s3:GetObject",
      "s3:PutObject",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
    ]
    resources = ["${var.bucket_arns.results}/*"]
  }

  statement {
    sid = "ResizeAgentGroups"
    actions = [
      "autoscaling:SetDesiredCapacity",
      "autoscaling:SetInstanceProtection",
      "autoscaling:TerminateInstanceInAutoScalingGroup",
      "autoscaling:CompleteLifecycleAction",
    ]
    resources = local.agent_asg_arns
  }

  statement {
    sid       = "SeeAgentGroups"
    actions   = ["autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeScalingActivities", "ec2:DescribeInstances"]
    resources = ["*"]
  }

  statement {
    sid       = "SendNotifications"
    actions   = ["ses:SendEmail", "ses:SendRawEmail"]
    resources = [var.ses_identity_arn]
  }

  # The price refresher (scheduler `prices`): spot price history and on-demand price lists.
  # Neither action supports resource-level permissions.
  statement {
    sid       = "ReadPrices"
    actions   = ["ec2:DescribeSpotPriceHistory", "pricing:GetProducts"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "agent" {
  statement {
    sid       = "ReadInputsAndModels"
    actions   = ["s3:GetObject"]
    resources = ["${var.bucket_arns.uploads}/*"]
  }

  statement {
    sid       = "WriteResultParts"
    actions   = ["s3:PutObject", "s3:AbortMultipartUpload"]
    resources = ["${var.bucket_arns.results}/*"]
  }

  # After a rebalance recommendation or a drain tag the agent ends its own instance (the
  # group launches a replacement) instead of idling, billed; then it completes the hook.
  statement {
    sid = "FinishOwnTermination"
    actions = [
      "autoscaling:CompleteLifecycleAction",
      "autoscaling:RecordLifecycleActionHeartbeat",
      "autoscaling:TerminateInstanceInAutoScalingGroup",
    ]
    resources = local.agent_asg_arns
  }
}

locals {
  role_policies = {
    web       = data.aws_iam_policy_document.web.json
    scheduler = data.aws_iam_policy_document.scheduler.json
    agent     = data.aws_iam_policy_document.agent.json
  }
}

resource "aws_iam_role_policy" "role" {
  for_each = local.roles

  name   = "${var.name}-${each.key}"
  role   = aws_iam_role.this[each.key].id
  policy = local.role_policies[each.key]
}

resource "aws_iam_role_policy" "common" {
  for_each = local.roles

  name   = "${var.name}-${each.key}-common"
  role   = aws_iam_role.this[each.key].id
  policy = data.aws_iam_policy_document.common[each.key].json
}

# dev runs the scheduler on the web instances: their role does what a scheduler does too.
resource "aws_iam_role_policy" "web_scheduler" {
  count = var.web_runs_scheduler ? 1 : 0

  name   = "${var.name}-web-scheduler"
  role   = aws_iam_role.this["web"].id
  policy = data.aws_iam_policy_document.scheduler.json
}
