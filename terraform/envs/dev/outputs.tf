output "url" {
  description = "Where the dev estate answers."
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
