'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { resources, packer, one, ignoredChanges } = require('./lib');

test('every launch template requires IMDSv2 with a hop limit of 1', async () => {
  const templates = await resources('aws_launch_template');
  assert.ok(templates.length >= 3, 'web, scheduler and GPU launch templates expected');
  for (const template of templates) {
    const metadata = one(template.body, 'metadata_options');
    assert.equal(metadata.http_tokens, 'required', `${template.file}: ${template.address} must set http_tokens = "required"`);
    assert.equal(metadata.http_put_response_hop_limit, 1, `${template.file}: ${template.address} hop limit`);
  }
});

test('every launch template encrypts its volumes', async () => {
  for (const template of await resources('aws_launch_template')) {
    const devices = template.body.block_device_mappings || [];
    assert.ok(devices.length > 0, `${template.address} declares its root volume`);
    for (const device of devices) {
      assert.equal(one(device, 'ebs').encrypted, true, `${template.file}: ${template.address} volume not encrypted`);
    }
  }
});

test('Packer bakes with IMDSv2 required and encrypted volumes', async () => {
  const sources = [];
  for (const { file, json } of await packer()) {
    for (const [name, bodies] of Object.entries((json.source || {})['amazon-ebs'] || {})) {
      for (const body of bodies) sources.push({ file, name, body });
    }
  }
  assert.ok(sources.length >= 2, 'web and GPU sources expected');
  for (const source of sources) {
    assert.equal(one(source.body, 'metadata_options').http_tokens, 'required', `${source.file}: ${source.name}`);
    assert.equal(source.body.encrypt_boot, true, `${source.file}: ${source.name} encrypt_boot`);
  }
});

test('groups resized by Kiln are not resized back by Terraform', async () => {
  const groups = await resources('aws_autoscaling_group');
  const autoscaled = groups.filter((group) => group.body.mixed_instances_policy || /web/.test(group.name));
  assert.ok(autoscaled.length >= 2, 'agent and web groups expected');
  for (const group of autoscaled) {
    assert.ok(ignoredChanges(group.body).includes('desired_capacity'), `${group.file}: ${group.address} must ignore desired_capacity`);
  }
});

test('the agent group module (GPU and CPU groups) scales to zero, runs spot first and drains on termination', async () => {
  const gpu = (await resources('aws_autoscaling_group')).filter((group) => group.body.mixed_instances_policy);
  assert.equal(gpu.length, 1);
  const { body } = gpu[0];
  assert.equal(body.min_size, 0);
  const distribution = one(one(body, 'mixed_instances_policy'), 'instances_distribution');
  assert.equal(distribution.on_demand_base_capacity, 0);
  assert.match(distribution.spot_allocation_strategy, /capacity-optimized/);
  const overrides = one(one(body, 'mixed_instances_policy'), 'launch_template');
  assert.ok(overrides.dynamic || overrides.override, 'several instance types (spot pools) expected');
  const hook = one(body, 'initial_lifecycle_hook');
  assert.equal(hook.lifecycle_transition, 'autoscaling:EC2_INSTANCE_TERMINATING');
  assert.ok(ignoredChanges(body).some((path) => path.includes('launch_template_specification')), 'kiln release owns the template version of agents');
});

test('kiln release owns the live color: listener weights are ignored by Terraform', async () => {
  const weighted = [];
  for (const type of ['aws_lb_listener', 'aws_lb_listener_rule']) {
    for (const block of await resources(type)) {
      const actions = [...(block.body.default_action || []), ...(block.body.action || [])];
      const forwardsBoth = actions.some((action) => action.forward);
      if (forwardsBoth) weighted.push(block);
    }
  }
  assert.ok(weighted.length >= 2, 'a weighted default action and an /api/* rule expected');
  for (const block of weighted) {
    const ignored = ignoredChanges(block.body);
    assert.ok(ignored.includes('default_action') || ignored.includes('action'), `${block.file}: ${block.address}`);
  }
});

test('blue and green target groups have health checks', async () => {
  const groups = await resources('aws_lb_target_group');
  assert.ok(groups.length >= 1);
  for (const group of groups) {
    const check = one(group.body, 'health_check');
    assert.ok(check.path, `${group.address} has a health check path`);
    assert.ok(String(group.body.for_each).includes('colors') || /blue|green/.test(group.name), `${group.address} is per color`);
  }
});

test('every launch template ignores image_id: AMIs arrive through kiln release, an apply never rolls one back', async () => {
  const templates = await resources('aws_launch_template');
  assert.ok(templates.some((template) => template.name === 'scheduler'), 'the scheduler template is checked too');
  for (const template of templates) {
    assert.ok(ignoredChanges(template.body).includes('image_id'), `${template.file}: ${template.address} must ignore image_id`);
  }
});

test('every launch template tags the volumes it creates with the estate (the budget filters on it)', async () => {
  for (const template of await resources('aws_launch_template')) {
    const volume = (template.body.tag_specifications || []).find((spec) => spec.resource_type === 'volume');
    assert.ok(volume, `${template.file}: ${template.address} has no tag_specifications for volumes`);
    assert.match(JSON.stringify(volume.tags), /Estate/, `${template.file}: ${template.address} volume tags lack Estate`);
  }
});

test('AMI snapshots carry the image tags, and RDS snapshots the instance tags', async () => {
  for (const { file, json } of await packer()) {
    for (const bodies of Object.values((json.source || {})['amazon-ebs'] || {})) {
      for (const body of bodies) assert.ok(body.snapshot_tags, `${file}: snapshot_tags`);
    }
  }
  for (const db of await resources('aws_db_instance')) {
    assert.equal(db.body.copy_tags_to_snapshot, true, `${db.address} copy_tags_to_snapshot`);
  }
});
