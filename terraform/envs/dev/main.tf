# dev: the cheapest estate that still runs every part of Kiln.
#   - Compute in one zone; the ALB and the RDS subnet group need a second zone for their
#     subnets only.
#   - No NAT gateway ($33/month idle each): web, scheduler and agent instances run in public
#     subnets with public IPs and accept traffic from the ALB only (agents: none at all);
#     PostgreSQL and Redis stay in private subnets; S3 goes through the free gateway endpoint.
#   - Smallest sizes: one t3.small instance running the API server and the scheduler,
#     db.t4g.micro, a Valkey cache.t4g.micro without replicas; GPU agents 0..2, spot only,
#     over two zones and three instance types (more spot pools); CPU agents for parse and
#     checksum 0..4, spot only, over four cheap types: both groups idle at zero.
#   - Office hours: the web tier sleeps at night and at weekends (var.office_hours).
# infra/cost.py computes the idle cost from the plan (CI prints it); docs/runbook.md says
# what each of these choices trades away.

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Estate    = local.name
      ManagedBy = "terraform"
    }
  }
}

locals {
  name = "kiln-dev"

  # Shared by the bucket lifecycle and the API (file expiry dates), by each agent group and
  # the scheduler's autoscaler (fleet maximum, processors), so each pair agrees.
  upload_retention_days = 7
  gpu_max_size          = 2
  cpu_max_size          = 4
  cpu_processors        = ["parse", "checksum"]
}

module "network" {
  source = "../../modules/network"

  name               = local.name
  region             = var.region
  availability_zones = var.availability_zones
  nat_gateways       = "none"
}

module "storage" {
  source = "../../modules/storage"

  bucket_prefix         = local.name
  region                = var.region
  upload_retention_days = local.upload_retention_days
  result_retention_days = 14
  allowed_origins       = ["https://${var.domain_name}"]
  force_destroy         = true
}

module "monitoring" {
  source = "../../modules/monitoring"

  name                       = local.name
  log_retention_days         = 7
  alarm_emails               = var.alarm_emails
  alb_arn_suffix             = module.edge.alb_arn_suffix
  target_group_arn_suffixes  = module.edge.target_group_arn_suffixes
  db_instance_id             = local.database.instance_id
  redis_replication_group_id = local.cache.replication_group_id
  monthly_budget_usd         = contains(var.emulator_leaves_out, "budget") ? null : var.monthly_budget_usd
}

module "iam" {
  source = "../../modules/iam"

  name              = local.name
  region            = var.region
  bucket_arns       = module.storage.bucket_arns
  agent_group_names = ["${local.name}-gpu", "${local.name}-cpu"]
  log_group_arns    = module.monitoring.log_group_arns
  ses_identity_arn  = var.ses_identity_arn

  web_runs_scheduler = true
  secret_parameters = {
    web       = [local.database.password_parameter_arn, local.cache.auth_token_parameter_arn, module.web_tier.jwt_key_parameter_arn, module.web_tier.bootstrap_admin_parameter_arn]
    scheduler = [local.database.password_parameter_arn, local.cache.auth_token_parameter_arn]
    agent     = [local.cache.auth_token_parameter_arn]
  }
}

module "edge" {
  source = "../../modules/edge"

  name              = local.name
  vpc_id            = module.network.vpc_id
  vpc_cidr_block    = module.network.vpc_cidr_block
  public_subnet_ids = module.network.public_subnet_ids
  zone_name         = var.zone_name
  domain_name       = var.domain_name
}

module "database" {
  source = "../../modules/database"
  count  = contains(var.emulator_leaves_out, "database") ? 0 : 1

  name       = local.name
  vpc_id     = module.network.vpc_id
  subnet_ids = module.network.private_subnet_ids
  client_security_groups = {
    web       = module.web_tier.web_security_group_id
    scheduler = module.web_tier.scheduler_security_group_id
  }
  instance_class        = "db.t4g.micro"
  allocated_storage_gb  = 20
  multi_az              = false
  backup_retention_days = 1
  deletion_protection   = false
}

module "cache" {
  source = "../../modules/cache"
  count  = contains(var.emulator_leaves_out, "cache") ? 0 : 1

  name       = local.name
  vpc_id     = module.network.vpc_id
  subnet_ids = module.network.private_subnet_ids
  client_security_groups = {
    web       = module.web_tier.web_security_group_id
    scheduler = module.web_tier.scheduler_security_group_id
    agent     = module.gpu_tier.agent_security_group_id
    cpu_agent = module.cpu_tier.agent_security_group_id
  }
  engine         = "valkey"
  engine_version = "8.0"
  node_type      = "cache.t4g.micro"
  replicas       = 0
}

# What the rest of the estate reads from the database and the cache. Against an AWS emulator that
# cannot create them (var.emulator_leaves_out), names in the reserved .invalid domain and the
# parameters' would-be ARNs stand in, so every other resource is created as it is on AWS.
data "aws_caller_identity" "this" {}

locals {
  parameter_arn_prefix = "arn:aws:ssm:${var.region}:${data.aws_caller_identity.this.account_id}:parameter/${local.name}"
  database = length(module.database) > 0 ? module.database[0] : {
    endpoint               = "${local.name}-postgres.invalid:5432"
    password_parameter_arn = "${local.parameter_arn_prefix}/postgres/password"
    instance_id            = local.name
  }
  cache = length(module.cache) > 0 ? module.cache[0] : {
    primary_endpoint         = "${local.name}-redis.invalid"
    auth_token_parameter_arn = "${local.parameter_arn_prefix}/redis/auth-token"
    replication_group_id     = local.name
  }
}

locals {
  service_environment = {
    KILN_ESTATE                    = local.name
    KILN_REGION                    = var.region
    KILN_DB_ENDPOINT               = local.database.endpoint
    KILN_DB_PASSWORD_PARAMETER     = "/${local.name}/postgres/password"
    KILN_REDIS_HOST                = local.cache.primary_endpoint
    KILN_REDIS_TLS                 = "true"
    KILN_REDIS_AUTH_PARAMETER      = "/${local.name}/redis/auth-token"
    KILN_UPLOADS_BUCKET            = module.storage.bucket_names.uploads
    KILN_RESULTS_BUCKET            = module.storage.bucket_names.results
    KILN_OPS_BUCKET                = module.storage.bucket_names.ops
    KILN_GPU_GROUP                 = "${local.name}-gpu"
    KILN_PUBLIC_URL                = module.edge.url
    KILN_JWT_KEY_PARAMETER         = "/${local.name}/api/jwt-key"
    KILN_BOOTSTRAP_ADMIN_EMAIL     = var.admin_email
    KILN_BOOTSTRAP_ADMIN_PARAMETER = "/${local.name}/api/bootstrap-admin-password"
    KILN_UPLOAD_RETENTION_DAYS     = tostring(local.upload_retention_days)
    KILN_GPU_MAX_AGENTS            = tostring(local.gpu_max_size)
    KILN_CPU_GROUP                 = "${local.name}-cpu"
    KILN_CPU_MAX_AGENTS            = tostring(local.cpu_max_size)
    KILN_CPU_PROCESSORS            = join(",", local.cpu_processors)
  }
}

module "web_tier" {
  source = "../../modules/web_tier"

  name                       = local.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = [module.network.public_subnet_ids[0]]
  public_ip                  = true
  ami_id                     = var.web_ami_id
  alb_security_group_id      = module.edge.alb_security_group_id
  target_group_arns          = module.edge.target_group_arns
  web_instance_type          = "t3.small"
  web_size                   = 1
  web_max_size               = 2
  scheduler_on_web           = true
  office_hours               = var.office_hours
  web_instance_profile       = module.iam.instance_profile_names.web
  scheduler_instance_profile = module.iam.instance_profile_names.scheduler
  service_environment        = local.service_environment
}

locals {
  # Both agent groups reach the same Redis and buckets.
  agent_environment = {
    KILN_ESTATE               = local.name
    KILN_REGION               = var.region
    KILN_REDIS_HOST           = local.cache.primary_endpoint
    KILN_REDIS_TLS            = "true"
    KILN_REDIS_AUTH_PARAMETER = "/${local.name}/redis/auth-token"
    KILN_UPLOADS_BUCKET       = module.storage.bucket_names.uploads
    KILN_RESULTS_BUCKET       = module.storage.bucket_names.results
  }
}

module "gpu_tier" {
  source = "../../modules/agent_tier"

  name              = local.name
  kind              = "gpu"
  vpc_id            = module.network.vpc_id
  subnet_ids        = module.network.public_subnet_ids
  public_ip         = true
  ami_id            = var.gpu_ami_id
  instance_types    = ["g4dn.xlarge", "g5.xlarge", "g6.xlarge"]
  on_demand_percent = 0
  max_size          = local.gpu_max_size
  instance_profile  = module.iam.instance_profile_names.agent
  agent_environment = local.agent_environment
}

# Cheap CPU machines for the processors that need no GPU: parse and checksum shards never wait
# for (or pay for) a GPU. The scheduler sizes this group from their backlog alone (its groups:
# entry, rendered from KILN_CPU_* above), to zero when idle. Graviton spot pools from the arm64
# CPU AMI; no burstable t4g, since parse runs flat out and would pay for surplus credits.
module "cpu_tier" {
  source = "../../modules/agent_tier"

  name              = local.name
  kind              = "cpu"
  architecture      = "arm64"
  processors        = local.cpu_processors
  vpc_id            = module.network.vpc_id
  subnet_ids        = module.network.public_subnet_ids
  public_ip         = true
  ami_id            = var.cpu_ami_id
  instance_types    = ["c7g.large", "c6g.large", "m7g.large", "m6g.large"]
  on_demand_percent = 0
  max_size          = local.cpu_max_size
  volume_size_gb    = 16
  instance_profile  = module.iam.instance_profile_names.agent
  agent_environment = local.agent_environment
}
