# The web AMI: api-server and scheduler (both installed, enabled by user data per role),
# JDK, CloudWatch agent, hardened Debian 12. Provisioned by ansible/web.yml.

locals {
  stamp = regex_replace(timestamp(), "[- TZ:]", "")
  tags = {
    Name                   = "kiln-web-${var.kiln_version}"
    Role                   = "web"
    "kiln:role"            = "web"
    "kiln:arch"            = "x86_64"
    "kiln:version"         = var.kiln_version
    "kiln:git-commit"      = var.git_commit
    "kiln:source-ami"      = "{{ .SourceAMI }}"
    "kiln:source-ami-name" = "{{ .SourceAMIName }}"
  }
}

source "amazon-ebs" "web" {
  region        = var.region
  instance_type = var.instance_type
  subnet_id     = var.subnet_id
  ssh_username  = "admin"

  source_ami_filter {
    filters = {
      name                = var.source_ami_name
      architecture        = "x86_64"
      virtualization-type = "hvm"
      root-device-type    = "ebs"
    }
    owners      = [var.source_ami_owner]
    most_recent = true
  }

  ami_name        = "kiln-web-${var.kiln_version}-${local.stamp}"
  ami_description = "Kiln web (api-server, scheduler) ${var.kiln_version} ${var.git_commit}"
  encrypt_boot    = true
  # Instances launched from the image get IMDSv2 only, whatever launches them.
  imds_support = "v2.0"

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  launch_block_device_mappings {
    device_name           = "/dev/xvda"
    volume_size           = var.volume_size_gb
    volume_type           = "gp3"
    throughput            = 125
    iops                  = 3000
    delete_on_termination = true
  }

  tags          = local.tags
  snapshot_tags = local.tags
  run_tags      = { Name = "packer-kiln-web" }
}

build {
  sources = ["source.amazon-ebs.web"]

  provisioner "shell" {
    script          = "${path.root}/../scripts/wait-for-cloud-init.sh"
    execute_command = "sudo env {{ .Vars }} bash '{{ .Path }}'"
  }

  provisioner "ansible" {
    playbook_file    = "${path.root}/../../ansible/web.yml"
    user             = "admin"
    ansible_env_vars = ["ANSIBLE_CONFIG=${path.root}/../../ansible/ansible.cfg"]
    extra_arguments = [
      "--extra-vars", "kiln_version=${var.kiln_version}",
      "--extra-vars", "kiln_git_commit=${var.git_commit}",
      "--extra-vars", "kiln_artifacts_dir=${abspath(var.artifacts_dir)}",
    ]
  }

  provisioner "shell" {
    script          = "${path.root}/../scripts/cleanup.sh"
    execute_command = "sudo env {{ .Vars }} bash '{{ .Path }}'"
  }

  provisioner "shell" {
    script          = "${path.root}/../scripts/validate.sh"
    execute_command = "sudo env {{ .Vars }} bash '{{ .Path }}'"
    environment_vars = [
      "KILN_ROLE=web",
      "KILN_VERSION=${var.kiln_version}",
      "KILN_GIT_COMMIT=${var.git_commit}",
      "KILN_JAVA_MAJOR=17",
    ]
  }

  post-processor "manifest" {
    output     = "${path.root}/../manifest-web.json"
    strip_path = true
  }
}
