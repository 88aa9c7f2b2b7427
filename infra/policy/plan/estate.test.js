'use strict';
// Policy tests over the planned estates (infra/.plans/{dev,prod}.json): the values Terraform
// would create, after variables, locals and module wiring are resolved.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { ENVIRONMENTS, plan, resources, output, changes, repo } = require('./plans');

const first = (list) => (Array.isArray(list) ? list[0] || {} : list || {});
const read = (file) => fs.readFileSync(path.join(repo, file), 'utf8');

/** Data sources of one type as the plan read them (prior_state): [{ address, values }]. */
const dataSources = (env, type) => {
  const found = [];
  const walk = (module) => {
    for (const resource of module.resources || []) if (resource.mode === 'data' && resource.type === type) found.push(resource);
    for (const child of module.child_modules || []) walk(child);
  };
  walk(((plan(env).prior_state || {}).values || {}).root_module || {});
  return found;
};

for (const env of ENVIRONMENTS) {
  test(`${env}: the plan creates an estate`, () => {
    const created = changes(env).filter((change) => change.change.actions.includes('create'));
    assert.ok(created.length >= 80, `${env} plans only ${created.length} resources`);
  });

  test(`${env}: preview rules (X-Kiln-Color) come before /api/*, every priority is distinct`, () => {
    const rules = resources(env, 'aws_lb_listener_rule');
    const priorities = rules.map((rule) => rule.values.priority);
    assert.equal(new Set(priorities).size, priorities.length, `duplicate priorities ${priorities}`);
    const conditions = (rule) => rule.values.condition || [];
    const previews = rules.filter((rule) => conditions(rule).some((c) => first(c.http_header).http_header_name === 'X-Kiln-Color'));
    const api = rules.filter((rule) => conditions(rule).some((c) => (first(c.path_pattern).values || []).includes('/api/*')));
    assert.equal(previews.length, 2, 'a preview rule per color');
    assert.equal(api.length, 1, 'one /api/* rule');
    for (const preview of previews) {
      assert.ok(preview.values.priority < api[0].values.priority,
        `${preview.address} (priority ${preview.values.priority}) is shadowed by /api/* (${api[0].values.priority})`);
    }
    const blocked = rules.find((rule) => rule.values.action.some((action) => action.type === 'fixed-response'));
    assert.ok(blocked && previews.every((p) => blocked.values.priority < p.values.priority), 'operational paths are blocked before any preview');
  });

  test(`${env}: the ALB checks liveness, which needs no PostgreSQL, Redis or S3, and the API serves it`, () => {
    const openapi = JSON.parse(read('api-server/src/main/resources/openapi/kiln-api.json'));
    const groups = resources(env, 'aws_lb_target_group');
    assert.equal(groups.length, 2);
    for (const group of groups) {
      const check = first(group.values.health_check);
      assert.match(check.path, /\/live$/, `${group.address} checks ${check.path}`);
      assert.ok(openapi.paths[check.path], `the API serves no ${check.path}`);
      assert.match(openapi.paths[check.path].get.summary, /whatever its dependencies do/);
    }
    const source = read('api-server/src/main/java/dev/kiln/api/resources/HealthResource.java');
    const live = source.slice(source.indexOf('@Path("/live")'), source.indexOf('@Path("/live")') + 200);
    assert.doesNotMatch(live, /checks\./, 'liveness must not run the dependency health checks');
  });

  test(`${env}: web groups use ELB health checks only against that liveness path; others EC2`, () => {
    const groups = resources(env, 'aws_autoscaling_group');
    const web = groups.filter((group) => /-web-(blue|green)$/.test(group.values.name));
    assert.equal(web.length, 2);
    for (const group of web) {
      assert.equal(group.values.health_check_type, 'ELB', `${group.address}: a hung server is replaced`);
    }
    for (const group of groups.filter((g) => !web.includes(g))) {
      assert.equal(group.values.health_check_type, 'EC2', `${group.address} has no target group`);
    }
  });

  test(`${env}: launch templates tag instances and volumes with the estate`, () => {
    for (const template of resources(env, 'aws_launch_template')) {
      const specs = template.values.tag_specifications || [];
      for (const type of ['instance', 'volume']) {
        const spec = specs.find((s) => s.resource_type === type);
        assert.ok(spec, `${template.address} does not tag ${type}s`);
        assert.equal(spec.tags.Estate, `kiln-${env}`, `${template.address} ${type} Estate tag`);
      }
    }
  });

  test(`${env}: RDS snapshots copy the instance's tags, and the instance has the Estate tag`, () => {
    for (const db of resources(env, 'aws_db_instance')) {
      assert.equal(db.values.copy_tags_to_snapshot, true);
      assert.equal(db.values.tags_all.Estate, `kiln-${env}`);
    }
  });

  test(`${env}: Redis never evicts (noeviction) and uses that parameter group`, () => {
    const groups = resources(env, 'aws_elasticache_parameter_group');
    assert.equal(groups.length, 1);
    const policy = groups[0].values.parameter.find((p) => p.name === 'maxmemory-policy');
    assert.equal(policy && policy.value, 'noeviction');
    for (const redis of resources(env, 'aws_elasticache_replication_group')) {
      assert.equal(redis.values.parameter_group_name, groups[0].values.name);
      assert.equal(groups[0].values.family, `${redis.values.engine}${String(redis.values.engine_version).split('.')[0]}`);
    }
  });

  test(`${env}: RDS takes minor versions itself: a major version only, with automatic minor upgrades`, () => {
    for (const db of resources(env, 'aws_db_instance')) {
      assert.equal(db.values.auto_minor_version_upgrade, true);
      assert.match(db.values.engine_version, /^\d+$/, `${db.address} pins ${db.values.engine_version}`);
    }
  });

  test(`${env}: PostgreSQL forces TLS and clients verify it against the RDS CA (sslmode=verify-full)`, () => {
    for (const db of resources(env, 'aws_db_instance')) {
      assert.match(db.values.ca_cert_identifier || '', /^rds-ca-/);
    }
    const params = resources(env, 'aws_db_parameter_group')[0].values.parameter;
    assert.equal(params.find((p) => p.name === 'rds.force_ssl').value, '1');
    const resolver = read('ansible/roles/common/files/kiln-runtime-env.sh');
    assert.match(resolver, /sslmode=verify-full&sslrootcert=/);
    assert.doesNotMatch(resolver, /sslmode=require/);
    const common = read('ansible/roles/common/tasks/main.yml');
    assert.match(common, /dest: \/etc\/kiln\/rds-ca\.pem/, 'the AMI bakes the RDS CA bundle the resolver names');
  });

  test(`${env}: bucket names are the ones kiln release uses, and the release output names them`, () => {
    const buckets = resources(env, 'aws_s3_bucket');
    const ops = buckets.find((bucket) => bucket.values.tags.Purpose === 'ops');
    assert.equal(ops.values.bucket, `kiln-${env}-ops-us-east-1`, 'ReleaseCommand defaults to <estate>-ops-<region>');
    for (const bucket of buckets) assert.ok(bucket.values.bucket.startsWith(`kiln-${env}-`), bucket.values.bucket);
    const release = output(env, 'release');
    assert.ok(release, 'no release output');
    assert.equal(release.ops_bucket, ops.values.bucket);
    assert.equal(release.estate, `kiln-${env}`);
    assert.deepEqual(Object.keys(release.web_group_names || {}).sort(), ['blue', 'green']);
    assert.equal(release.gpu_group_name, `kiln-${env}-gpu`);
    assert.equal(release.cpu_group_name, `kiln-${env}-cpu`);
    assert.equal(release.cpu_launch_template, `kiln-${env}-cpu`);
  });

  test(`${env}: each web color scales on CPU (target tracking)`, () => {
    const policies = resources(env, 'aws_autoscaling_policy');
    for (const color of ['blue', 'green']) {
      const policy = policies.find((p) => p.values.autoscaling_group_name === `kiln-${env}-web-${color}`);
      assert.ok(policy, `no scaling policy on kiln-${env}-web-${color}`);
      assert.equal(policy.values.policy_type, 'TargetTrackingScaling');
      const target = first(policy.values.target_tracking_configuration);
      assert.ok(target.target_value > 0 && target.target_value < 100);
    }
  });

  test(`${env}: alarms on ALB 5xx (targets and the ALB itself) and on no healthy host`, () => {
    const alarms = resources(env, 'aws_cloudwatch_metric_alarm');
    for (const metric of ['HTTPCode_Target_5XX_Count', 'HTTPCode_ELB_5XX_Count']) {
      const alarm = alarms.find((a) => a.values.metric_name === metric);
      assert.ok(alarm, `no ${metric} alarm`);
    }
    const healthy = alarms.find((a) => (a.values.metric_query || []).some((q) => first(q.metric).metric_name === 'HealthyHostCount'));
    assert.ok(healthy, 'no HealthyHostCount alarm');
    assert.equal(healthy.values.comparison_operator, 'LessThanThreshold');
    const colors = healthy.values.metric_query.filter((q) => first(q.metric).metric_name === 'HealthyHostCount');
    assert.equal(colors.length, 2, 'both colors add up: the idle one has no targets on purpose');
    const backlog = alarms.find((a) => a.values.metric_name === 'QueuedShardsAtMaxFleet');
    assert.ok(backlog, 'no backlog alarm');
  });

  test(`${env}: the GPU group spreads over zones and instance types, drains with a lifecycle hook`, () => {
    const gpu = resources(env, 'aws_autoscaling_group').find((g) => g.values.name === `kiln-${env}-gpu`);
    assert.ok(gpu);
    const hook = first(gpu.values.initial_lifecycle_hook);
    assert.equal(hook.name, 'drain', 'the agent completes the hook named drain');
    assert.equal(hook.lifecycle_transition, 'autoscaling:EC2_INSTANCE_TERMINATING');
    const overrides = first(first(gpu.values.mixed_instances_policy).launch_template).override || [];
    assert.ok(overrides.length >= 3, `only ${overrides.length} instance types`);
  });

  test(`${env}: the CPU group scales to zero and runs spot first over cheap CPU types, draining like the GPU group`, () => {
    const groups = resources(env, 'aws_autoscaling_group');
    const cpu = groups.find((g) => g.values.name === `kiln-${env}-cpu`);
    assert.ok(cpu, `no kiln-${env}-cpu group`);
    assert.equal(cpu.values.min_size, 0, 'an idle CPU group costs nothing');
    assert.equal(cpu.values.desired_capacity, 0, 'created empty: the scheduler sizes it from its backlog');
    assert.equal(cpu.values.capacity_rebalance, true, 'replaced ahead of a spot interruption');
    const distribution = first(first(cpu.values.mixed_instances_policy).instances_distribution);
    assert.equal(distribution.on_demand_base_capacity, 0, 'no on-demand floor');
    assert.equal(distribution.on_demand_percentage_above_base_capacity, 0, 'spot first: no on-demand share above the base');
    assert.match(distribution.spot_allocation_strategy, /capacity-optimized/);
    const overrides = first(first(cpu.values.mixed_instances_policy).launch_template).override || [];
    assert.ok(overrides.length >= 3, `only ${overrides.length} instance types: too few spot pools`);
    for (const { instance_type: type } of overrides) {
      assert.match(type, /^[cm][0-9]+[a-z]*\.large$/, `${type} is not a cheap CPU type`);
    }
    const hook = first(cpu.values.initial_lifecycle_hook);
    assert.equal(hook.name, 'drain');
    assert.equal(hook.lifecycle_transition, 'autoscaling:EC2_INSTANCE_TERMINATING');
    const template = resources(env, 'aws_launch_template').find((t) => t.values.name === `kiln-${env}-cpu`);
    assert.ok(template, 'the CPU group has its own launch template');
    assert.equal(first(template.values.metadata_options).http_tokens, 'required', 'IMDSv2');
    const gpuTemplate = resources(env, 'aws_launch_template').find((t) => t.values.name === `kiln-${env}-gpu`);
    assert.notEqual(template.values.image_id, gpuTemplate.values.image_id, 'the CPU group runs its own AMI, without the NVIDIA driver');
  });

  test(`${env}: the CPU group runs Graviton (arm64) spot types only, each checked by the plan, and the GPU group x86_64`, () => {
    const call = (name) => plan(env).configuration.root_module.module_calls[name].expressions;
    assert.equal((call('cpu_tier').architecture || {}).constant_value, 'arm64', 'the CPU group is declared arm64');
    assert.ok(!call('gpu_tier').architecture || call('gpu_tier').architecture.constant_value === 'x86_64', 'the GPU group stays x86_64');
    const cpu = resources(env, 'aws_autoscaling_group').find((g) => g.values.name === `kiln-${env}-cpu`);
    const overrides = first(first(cpu.values.mixed_instances_policy).launch_template).override || [];
    const described = dataSources(env, 'aws_ec2_instance_type').filter((d) => d.address.startsWith('module.cpu_tier.'));
    assert.equal(described.length, overrides.length, 'the plan read every CPU instance type');
    for (const { instance_type: type } of overrides) {
      assert.match(type, /^[a-z]+[0-9]+g[a-z]*\./, `${type} is not a Graviton type`);
      const info = described.find((d) => d.values.instance_type === type);
      assert.ok(info, `the plan did not read ${type}`);
      assert.deepEqual(info.values.supported_architectures, ['arm64'], `${type} runs ${info.values.supported_architectures}`);
    }
    const template = resources(env, 'aws_launch_template').find((t) => t.values.name === `kiln-${env}-cpu`);
    assert.ok(overrides.some((o) => o.instance_type === template.values.instance_type), 'the template default is one of the Graviton types');
    // The user data waits for the Redis endpoint; the module writes each agent's own group.
    const module = read('terraform/modules/agent_tier/main.tf');
    assert.match(module, /KILN_AGENT_GROUP\s*=\s*local\.group/, 'agents find their own group');
    assert.match(module, /KILN_GPU_GROUP\s*=\s*local\.group/, 'agents of images baked before KILN_AGENT_GROUP too');
  });

  test(`${env}: the scheduler may resize the GPU and the CPU group, and no other`, () => {
    // The policies' JSON waits for the bucket ARNs, but the statements are planned already.
    const documents = changes(env).filter((c) => c.type === 'aws_iam_policy_document' && c.mode === 'data');
    assert.ok(documents.length >= 3, 'no policy documents in the plan');
    const resizing = [];
    for (const document of documents) {
      for (const statement of (document.change.after || {}).statement || []) {
        if ((statement.actions || []).includes('autoscaling:SetDesiredCapacity')) resizing.push({ document, statement });
      }
    }
    assert.equal(resizing.length, 1, `statements that resize groups: ${resizing.map((r) => r.document.address)}`);
    assert.equal(resizing[0].document.address, 'module.iam.data.aws_iam_policy_document.scheduler');
    const groups = resizing[0].statement.resources.map((arn) => String(arn).split('autoScalingGroupName/')[1]).sort();
    assert.deepEqual(groups, [`kiln-${env}-cpu`, `kiln-${env}-gpu`]);
  });
}

test('dev: the web tier keeps office hours, prod runs always', () => {
  const schedules = resources('dev', 'aws_autoscaling_schedule');
  assert.equal(schedules.length, 4, 'a wake and a sleep action per color');
  for (const schedule of schedules.filter((s) => s.values.scheduled_action_name.startsWith('kiln-sleep'))) {
    assert.equal(schedule.values.desired_capacity, 0);
    assert.equal(schedule.values.min_size, 0);
  }
  assert.equal(resources('prod', 'aws_autoscaling_schedule').length, 0);
});

test('dev runs the scheduler on the web instance; prod in its own group of two', () => {
  const devGroups = resources('dev', 'aws_autoscaling_group').map((g) => g.values.name);
  assert.ok(!devGroups.includes('kiln-dev-scheduler'), devGroups.join(', '));
  const prodScheduler = resources('prod', 'aws_autoscaling_group').find((g) => g.values.name === 'kiln-prod-scheduler');
  assert.ok(prodScheduler && prodScheduler.values.min_size >= 2);
  assert.equal(output('dev', 'release').scheduler_group_name, null);
});
