'use strict';
// The secrets each instance reads at start (ansible/roles/common/files/kiln-runtime-env.sh)
// against what Terraform creates and what IAM lets each role read.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { terraform, modules, resources, data, one, ignoredChanges } = require('./lib');

// The kiln.env settings naming an SSM parameter that kiln-runtime-env reads, per instance role.
const RESOLVED = {
  web: ['KILN_DB_PASSWORD_PARAMETER', 'KILN_REDIS_AUTH_PARAMETER', 'KILN_JWT_KEY_PARAMETER', 'KILN_BOOTSTRAP_ADMIN_PARAMETER'],
  scheduler: ['KILN_DB_PASSWORD_PARAMETER', 'KILN_REDIS_AUTH_PARAMETER'],
  agent: ['KILN_REDIS_AUTH_PARAMETER'],
};

const unwrap = (value) => String(value).replace(/^\$\{/, '').replace(/\}$/, '');

async function environment(name) {
  const files = (await terraform()).filter(({ file }) => file.startsWith(`terraform/envs/${name}/`));
  const locals = Object.assign({}, ...files.flatMap(({ json }) => json.locals || []));
  const calls = Object.fromEntries((await modules()).filter((call) => call.file.startsWith(`terraform/envs/${name}/`)).map((call) => [call.name, call.body]));
  return { locals, calls };
}

/**
 * "module.database.password_parameter_arn" in an environment -> "/${var.name}/postgres/password";
 * also "local.database.password_parameter_arn" where that local is the module when it is applied
 * (envs/dev leaves the database out only for an apply against moto: emulator_leaves_out).
 */
async function parameterNameOf(reference, calls, locals) {
  let [, moduleName, outputName] = unwrap(reference).match(/^module\.([a-z_]+)\.([a-z_]+)$/) || [];
  const [, localName, localOutput] = unwrap(reference).match(/^local\.([a-z_]+)\.([a-z_]+)$/) || [];
  if (localName && String(locals[localName]).includes(`module.${localName}[0]`)) {
    [moduleName, outputName] = [localName, localOutput];
  }
  assert.ok(moduleName, `${reference} is not a module output`);
  const moduleDir = path.posix.normalize(`terraform/envs/x/${calls[moduleName].source}`);
  const outputs = Object.assign({}, ...(await terraform()).filter(({ file }) => file.startsWith(`${moduleDir}/`)).map(({ json }) => json.output || {}));
  assert.ok(outputs[outputName], `${moduleDir} has no output ${outputName}`);
  const [, resourceName] = unwrap(outputs[outputName][0].value).match(/^aws_ssm_parameter\.([a-z_]+)\.arn$/) || [];
  assert.ok(resourceName, `${moduleDir} output ${outputName} is not an SSM parameter ARN`);
  const parameter = (await resources('aws_ssm_parameter')).find((p) => p.file.startsWith(`${moduleDir}/`) && p.name === resourceName);
  assert.ok(parameter, `${moduleDir} has no aws_ssm_parameter.${resourceName}`);
  return parameter.body.name;
}

for (const name of ['dev', 'prod']) {
  test(`${name}: each role may read exactly the SSM parameters its instances resolve at start`, async () => {
    const { locals, calls } = await environment(name);
    const settings = {
      web: locals.service_environment,
      scheduler: locals.service_environment,
      agent: locals.agent_environment,
    };
    for (const group of ['gpu_tier', 'cpu_tier']) {
      assert.match(String(calls[group].agent_environment), /local\.agent_environment/, `${group}: both agent groups resolve the same settings`);
    }
    const granted = calls.iam.secret_parameters;
    assert.deepEqual(Object.keys(granted).sort(), Object.keys(RESOLVED).sort());
    for (const [role, keys] of Object.entries(RESOLVED)) {
      const wanted = keys.map((key) => {
        assert.ok(settings[role][key], `${role}: kiln.env has no ${key}`);
        return settings[role][key].replace('${local.name}', '${var.name}');
      });
      const readable = [];
      for (const reference of granted[role]) readable.push(await parameterNameOf(reference, calls, locals));
      assert.deepEqual(readable.sort(), wanted.sort(), `${role} may read ${readable}, its instances read ${wanted}`);
    }
  });
}

test('the API signing key is a generated SecureString parameter', async () => {
  const key = (await resources('aws_ssm_parameter')).find((p) => p.body.name === '/${var.name}/api/jwt-key');
  assert.ok(key, 'no /<estate>/api/jwt-key parameter');
  assert.equal(key.body.type, 'SecureString');
  assert.match(String(key.body.value), /data\.aws_secretsmanager_random_password\./);
  const generator = (await data('aws_secretsmanager_random_password')).find((p) => p.file === key.file && String(key.body.value).includes(`aws_secretsmanager_random_password.${p.name}.`));
  assert.ok(generator && generator.body.password_length >= 32, 'the signing key has fewer than 32 characters (auth.jwtKeys needs 32)');
});

test('secrets come from AWS itself: no provider besides aws, and a generated value is kept once drawn', async () => {
  for (const { file, json } of await terraform()) {
    for (const block of json.terraform || []) {
      for (const providers of block.required_providers || []) {
        assert.deepEqual(Object.keys(providers), ['aws'], `${file}: only the aws provider is mirrored for CI and pinned in the lock file`);
      }
    }
    assert.ok(!(json.resource || {}).random_password, `${file}: random_password needs the hashicorp/random provider`);
  }
  const generators = await data('aws_secretsmanager_random_password');
  assert.ok(generators.length >= 4, 'database password, Redis token, signing key and first administrator password expected');
  for (const generator of generators) {
    assert.equal(generator.body.exclude_punctuation, true, `${generator.file}: kiln-runtime-env passes only plain characters`);
    const address = `data.aws_secretsmanager_random_password.${generator.name}.`;
    const users = [];
    for (const type of ['aws_ssm_parameter', 'aws_db_instance', 'aws_elasticache_replication_group']) {
      for (const block of await resources(type)) {
        for (const [attribute, value] of Object.entries(block.body)) {
          if (String(value).includes(address)) users.push({ block, attribute });
        }
      }
    }
    assert.ok(users.length >= 1, `${address} is used nowhere`);
    for (const { block, attribute } of users) {
      // The data source draws a new value at every plan: without ignore_changes every plan rotates it.
      assert.ok(ignoredChanges(block.body).includes(attribute), `${block.file}: ${block.address}.${attribute} must be in ignore_changes`);
    }
  }
});
