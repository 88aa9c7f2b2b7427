'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { modules, terraformRoot, filesUnder } = require('./lib');

async function environment(name) {
  const calls = (await modules()).filter((call) => call.file.includes(`envs/${name}/`));
  return Object.fromEntries(calls.map((call) => [call.name, call.body]));
}

test('dev idles cheaply: no NAT gateway, one web instance running the scheduler too, office hours, smallest sizes, spot GPUs from zero', async () => {
  const dev = await environment('dev');
  assert.equal(dev.network.nat_gateways, 'none');
  assert.equal(dev.web_tier.subnet_ids.length, 1, 'web and scheduler in one zone');
  assert.equal(dev.web_tier.scheduler_on_web, true, 'no separate scheduler instance in dev');
  assert.equal(dev.iam.web_runs_scheduler, true, 'the web role does what the scheduler does');
  assert.match(String(dev.web_tier.office_hours), /var\.office_hours/);
  assert.match(String(dev.gpu_tier.subnet_ids), /public_subnet_ids\}?$/, 'agents in every zone: more spot pools');
  assert.ok(dev.gpu_tier.instance_types.length >= 3, 'three or more GPU instance types: more spot pools');
  assert.equal(dev.cache.engine, 'valkey');
  assert.equal(dev.gpu_tier.on_demand_percent, 0, 'spot only');
  assert.equal(dev.database.multi_az, false);
  assert.match(dev.database.instance_class, /micro/);
  assert.match(dev.cache.node_type, /micro/);
  assert.equal(dev.cache.replicas, 0);
  assert.equal(dev.web_tier.web_size, 1);
  assert.match(String(dev.cpu_tier.subnet_ids), /public_subnet_ids\}?$/, 'CPU agents in every zone too');
  assert.ok(dev.cpu_tier.instance_types.length >= 3, 'three or more CPU instance types: more spot pools');
  assert.equal(dev.cpu_tier.on_demand_percent, 0, 'spot only');
});

for (const name of ['dev', 'prod']) {
  test(`${name}: a CPU group from its own AMI runs the processors the scheduler sizes it for`, async () => {
    const env = await environment(name);
    assert.equal(env.gpu_tier.kind, 'gpu');
    assert.equal(env.cpu_tier.kind, 'cpu');
    assert.equal(env.gpu_tier.source, env.cpu_tier.source, 'one module, two instances');
    assert.match(String(env.cpu_tier.ami_id), /var\.cpu_ami_id/);
    assert.match(String(env.cpu_tier.processors), /local\.cpu_processors/, 'the agents offer what the scheduler sizes the group for');
    for (const type of env.cpu_tier.instance_types) {
      assert.match(type, /^[cmt][0-9][a-z]*\.(large|xlarge)$/, `${type} is not a cheap CPU type`);
    }
    assert.deepEqual(env.iam.agent_group_names.map(String).sort(), ['${local.name}-cpu', '${local.name}-gpu']);
  });
}

test('prod spreads over zones: NAT per zone, Multi-AZ database, Redis failover, two of everything', async () => {
  const prod = await environment('prod');
  assert.notEqual(prod.network.nat_gateways, 'none');
  assert.match(String(prod.web_tier.subnet_ids), /private_subnet_ids/);
  assert.equal(prod.web_tier.public_ip, false);
  assert.equal(prod.database.multi_az, true);
  assert.equal(prod.database.deletion_protection, true);
  assert.ok(prod.cache.replicas >= 1);
  assert.ok(prod.web_tier.web_size >= 2);
  assert.ok(prod.web_tier.scheduler_count >= 2);
  assert.ok(!prod.web_tier.scheduler_on_web, 'prod schedulers run in their own group');
  const variables = fs.readFileSync(path.join(terraformRoot, 'envs/prod/variables.tf'), 'utf8');
  assert.match(variables, /us-east-1a", "us-east-1b", "us-east-1c/);
});

test('both environments have a budget and the same modules', async () => {
  const dev = await environment('dev');
  const prod = await environment('prod');
  assert.deepEqual(Object.keys(dev).sort(), Object.keys(prod).sort());
  assert.ok(dev.monitoring.monthly_budget_usd !== undefined && prod.monitoring.monthly_budget_usd !== undefined);
});

test('modules follow the standard structure with documented, typed variables', async () => {
  const root = path.join(terraformRoot, 'modules');
  for (const module of fs.readdirSync(root)) {
    for (const file of ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf', 'README.md']) {
      assert.ok(fs.existsSync(path.join(root, module, file)), `modules/${module}/${file} missing`);
    }
  }
  for (const file of filesUnder(terraformRoot, 'variables.tf')) {
    const text = fs.readFileSync(file, 'utf8');
    const declared = (text.match(/^variable "/gm) || []).length;
    assert.equal((text.match(/^  description\s*=/gm) || []).length, declared, `${file}: every variable has a description`);
    assert.equal((text.match(/^  type\s*=/gm) || []).length, declared, `${file}: every variable has a type`);
  }
});
