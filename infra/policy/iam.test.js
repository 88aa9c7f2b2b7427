'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { data, resources } = require('./lib');

// Actions AWS only grants on Resource "*": the one place a "*" resource is acceptable.
const RESOURCE_WILDCARD_ALLOWED = new Set([
  'cloudwatch:PutMetricData',
  'autoscaling:DescribeAutoScalingGroups',
  'autoscaling:DescribeScalingActivities',
  'ec2:DescribeInstances',
  'ec2:DescribeTags',
  'ec2:DescribeSpotPriceHistory',
  'pricing:GetProducts',
]);

async function statements() {
  const result = [];
  for (const document of await data('aws_iam_policy_document')) {
    for (const statement of document.body.statement || []) {
      result.push({ document, statement });
    }
  }
  return result;
}

test('no IAM statement uses a wildcard action', async () => {
  const all = await statements();
  assert.ok(all.length >= 10, 'policy documents not found');
  const wildcards = [];
  for (const { document, statement } of all) {
    for (const action of [...(statement.actions || []), ...(statement.not_actions || [])]) {
      if (String(action).includes('*')) wildcards.push(`${document.file}: ${document.address} ${statement.sid || ''} ${action}`);
    }
  }
  assert.deepEqual(wildcards, []);
});

test('Allow statements name their resources unless the action cannot be scoped', async () => {
  const broad = [];
  for (const { document, statement } of await statements()) {
    if (statement.effect === 'Deny') continue;
    if ((statement.resources || []).includes('*')) {
      for (const action of statement.actions || []) {
        if (!RESOURCE_WILDCARD_ALLOWED.has(action)) broad.push(`${document.address} ${statement.sid}: ${action}`);
      }
    }
  }
  assert.deepEqual(broad, []);
});

test('policies attached to roles come from reviewed policy documents', async () => {
  for (const type of ['aws_iam_role_policy', 'aws_iam_policy']) {
    for (const policy of await resources(type)) {
      assert.match(String(policy.body.policy), /aws_iam_policy_document|role_policies/, `${policy.address} uses an inline policy`);
    }
  }
  assert.equal((await resources('aws_iam_role_policy_attachment')).length, 0, 'managed policies grant more than Kiln needs');
});

test('agents reach only the upload and result buckets and their own group', async () => {
  const agent = (await data('aws_iam_policy_document')).find((d) => d.name === 'agent');
  assert.ok(agent, 'no agent policy');
  for (const statement of agent.body.statement) {
    for (const resource of [].concat(statement.resources)) {
      assert.match(resource, /bucket_arns\.(uploads|results)|agent_asg_arns/, `agent may reach ${resource}`);
    }
    for (const action of statement.actions) {
      assert.match(action, /^(s3:(GetObject|PutObject|AbortMultipartUpload)|autoscaling:(CompleteLifecycleAction|RecordLifecycleActionHeartbeat|TerminateInstanceInAutoScalingGroup))$/, action);
    }
  }
});
