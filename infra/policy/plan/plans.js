'use strict';
// Reads the plans infra/terraform-plan.sh writes (terraform show -json of envs/dev and envs/prod
// planned against moto_server), so policy tests can assert on resolved values: priorities,
// names, tags and parameters as Terraform would create them, not as the .tf files spell them.

const fs = require('node:fs');
const path = require('node:path');

const repo = path.resolve(__dirname, '..', '..', '..');
const planDir = process.env.KILN_PLAN_DIR || path.join(repo, 'infra', '.plans');
const ENVIRONMENTS = ['dev', 'prod'];

const cache = new Map();

/** The plan JSON of one environment; fails naming the command that writes it. */
function plan(env) {
  if (!cache.has(env)) {
    const file = path.join(planDir, `${env}.json`);
    if (!fs.existsSync(file)) {
      throw new Error(`${file} is missing: run infra/check.sh terraform_plan (infra/terraform-plan.sh) first`);
    }
    cache.set(env, JSON.parse(fs.readFileSync(file, 'utf8')));
  }
  return cache.get(env);
}

function walk(module, found) {
  for (const resource of module.resources || []) found.push(resource);
  for (const child of module.child_modules || []) walk(child, found);
  return found;
}

/** Planned resources of one type: [{ address, type, name, index, values }]. */
function resources(env, type) {
  return walk(plan(env).planned_values.root_module, []).filter((r) => r.type === type && r.mode === 'managed');
}

/** One planned output value; parts not known until apply are absent. */
function output(env, name) {
  const change = (plan(env).output_changes || {})[name];
  return change ? change.after : undefined;
}

/** Every resource change, for the count of what a plan creates. */
function changes(env) {
  return plan(env).resource_changes || [];
}

module.exports = { ENVIRONMENTS, plan, resources, output, changes, repo };
