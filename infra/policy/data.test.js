'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { resources, one } = require('./lib');

const refersTo = (value, address) => String(value).includes(address);

test('PostgreSQL is private and encrypted', async () => {
  const databases = await resources('aws_db_instance');
  assert.ok(databases.length >= 1);
  for (const db of databases) {
    assert.equal(db.body.storage_encrypted, true, `${db.address} storage_encrypted`);
    assert.equal(db.body.publicly_accessible, false, `${db.address} publicly_accessible`);
  }
});

test('Redis is private, encrypted at rest and in transit, with an auth token', async () => {
  const groups = await resources('aws_elasticache_replication_group');
  assert.ok(groups.length >= 1);
  for (const redis of groups) {
    assert.equal(redis.body.at_rest_encryption_enabled, true);
    assert.equal(redis.body.transit_encryption_enabled, true);
    assert.ok(redis.body.auth_token, 'auth_token');
  }
});

test('every bucket blocks public access and is encrypted', async () => {
  const buckets = await resources('aws_s3_bucket');
  assert.ok(buckets.length >= 1);
  const blocks = await resources('aws_s3_bucket_public_access_block');
  const encryption = await resources('aws_s3_bucket_server_side_encryption_configuration');
  for (const bucket of buckets) {
    const address = `aws_s3_bucket.${bucket.name}`;
    const block = blocks.find((b) => refersTo(b.body.for_each, address) || refersTo(b.body.bucket, address));
    assert.ok(block, `${address} has no public access block`);
    for (const flag of ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets']) {
      assert.equal(block.body[flag], true, `${address} ${flag}`);
    }
    const sse = encryption.find((e) => refersTo(e.body.for_each, address) || refersTo(e.body.bucket, address));
    assert.ok(sse, `${address} has no encryption configuration`);
    const algorithm = one(one(sse.body, 'rule'), 'apply_server_side_encryption_by_default').sse_algorithm;
    assert.ok(['AES256', 'aws:kms'].includes(algorithm), `${address} encryption ${algorithm}`);
  }
});

test('uploads expire and incomplete multipart uploads are aborted in every bucket', async () => {
  const lifecycles = await resources('aws_s3_bucket_lifecycle_configuration');
  const byBucket = (purpose) => lifecycles.find((l) => String(l.body.bucket).includes(`["${purpose}"]`));
  for (const purpose of ['uploads', 'results', 'ops']) {
    const lifecycle = byBucket(purpose);
    assert.ok(lifecycle, `no lifecycle rules on the ${purpose} bucket`);
    const rules = lifecycle.body.rule || [];
    assert.ok(rules.some((rule) => rule.status === 'Enabled' && one(rule, 'abort_incomplete_multipart_upload').days_after_initiation),
      `${purpose}: incomplete multipart uploads are never aborted`);
  }
  const uploads = byBucket('uploads');
  assert.ok(uploads.body.rule.some((rule) => rule.status === 'Enabled' && one(rule, 'expiration').days), 'uploads never expire');
});

test('secrets are stored as SecureString parameters', async () => {
  for (const parameter of await resources('aws_ssm_parameter')) {
    assert.equal(parameter.body.type, 'SecureString', parameter.address);
  }
});

test('a budget alarm and CloudWatch alarms exist', async () => {
  const budgets = await resources('aws_budgets_budget');
  assert.ok(budgets.length >= 1, 'no AWS Budgets budget');
  assert.ok((budgets[0].body.notification || []).length >= 1, 'budget without notification');
  assert.ok((await resources('aws_cloudwatch_metric_alarm')).length >= 4, 'alarms missing');
});
