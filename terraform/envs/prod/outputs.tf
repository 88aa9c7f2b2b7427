output "url" {
  description = "Where the prod estate answers."
  value       = module.edge.url
}

output "buckets" {
  description = "Bucket names by purpose."
  value       = module.storage.bucket_names
}

output "release_estate" {
  description = "Pass as --estate to kiln release."
  value       = local.name
}

output "release" {
  description = "What kiln release acts on (kiln release --outputs <(terraform output -json)): ARNs and names of the load balancer, listener, target groups, groups, templates and the ops bucket."
  value = {
    estate                    = local.name
    region                    = var.region
    load_balancer_arn         = module.edge.alb_arn
    listener_arn              = module.edge.https_listener_arn
    target_group_arns         = module.edge.target_group_arns
    web_group_names           = module.web_tier.web_group_names
    web_launch_templates      = module.web_tier.web_launch_template_names
    scheduler_group_name      = module.web_tier.scheduler_group_name
    scheduler_launch_template = module.web_tier.scheduler_launch_template_name
    gpu_group_name            = module.gpu_tier.group_name
    gpu_launch_template       = module.gpu_tier.launch_template_name
    cpu_group_name            = module.cpu_tier.group_name
    cpu_launch_template       = module.cpu_tier.launch_template_name
    ops_bucket                = module.storage.bucket_names.ops
  }
}

