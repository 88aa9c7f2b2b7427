# The CPU agent AMI: JDK, the agent with TensorFlow's CPU build, CloudWatch agent, hardened
# Debian 12, and no NVIDIA driver or CUDA. Provisioned by ansible/agent.yml, the GPU image's
# playbook, with kiln_agent_gpu=false. Its group (terraform: cpu_tier) runs parse and checksum.
# Built for var.arch: arm64 (Graviton, the default: the group's spot types) or x86_64.

locals {
  stamp = regex_replace(timestamp(), "[- TZ:]", "")
  # Debian names its architectures amd64 and arm64; EC2 says x86_64 and arm64.
  debian_arch     = var.arch == "arm64" ? "arm64" : "amd64"
  source_ami_name = var.source_ami_name != "" ? var.source_ami_name : "debian-12-${local.debian_arch}-*"
  instance_type   = var.instance_type != "" ? var.instance_type : (var.arch == "arm64" ? "c7g.large" : "c6a.large")
  tags = {
    Name                   = "kiln-cpu-${var.kiln_version}-${var.arch}"
    Role                   = "cpu"
    "kiln:role"            = "cpu"
    "kiln:arch"            = var.arch
    "kiln:version"         = var.kiln_version
    "kiln:git-commit"      = var.git_commit
    "kiln:source-ami"      = "{{ .SourceAMI }}"
    "kiln:source-ami-name" = "{{ .SourceAMIName }}"
  }
}

source "amazon-ebs" "cpu" {
  region        = var.region
  instance_type = local.instance_type
  subnet_id     = var.subnet_id
  ssh_username  = "admin"

  source_ami_filter {
    filters = {
      name                = local.source_ami_name
      architecture        = var.arch
      virtualization-type = "hvm"
      root-device-type    = "ebs"
    }
    owners      = [var.source_ami_owner]
    most_recent = true
  }

  ami_name        = "kiln-cpu-${var.arch}-${var.kiln_version}-${local.stamp}"
  ami_description = "Kiln CPU agent ${var.kiln_version} ${var.git_commit} (${var.arch})"
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
  run_tags      = { Name = "packer-kiln-cpu" }
}

build {
  sources = ["source.amazon-ebs.cpu"]

  provisioner "shell" {
    script          = "${path.root}/../scripts/wait-for-cloud-init.sh"
    execute_command = "sudo env {{ .Vars }} bash '{{ .Path }}'"
  }

  provisioner "ansible" {
    playbook_file    = "${path.root}/../../ansible/agent.yml"
    user             = "admin"
    ansible_env_vars = ["ANSIBLE_CONFIG=${path.root}/../../ansible/ansible.cfg"]
    extra_arguments = [
      "--extra-vars", "kiln_version=${var.kiln_version}",
      "--extra-vars", "kiln_git_commit=${var.git_commit}",
      "--extra-vars", "kiln_artifacts_dir=${abspath(var.artifacts_dir)}",
      "--extra-vars", "kiln_agent_gpu=false",
      "--extra-vars", "kiln_agent_arch=${var.arch}",
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
      "KILN_ROLE=cpu",
      "KILN_ARCH=${var.arch}",
      "KILN_VERSION=${var.kiln_version}",
      "KILN_GIT_COMMIT=${var.git_commit}",
      "KILN_JAVA_MAJOR=17",
    ]
  }

  post-processor "manifest" {
    output     = "${path.root}/../manifest-cpu.json"
    strip_path = true
  }
}
