'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { resources, terraform } = require('./lib');

const OPEN = ['0.0.0.0/0', '::/0'];
const isAlb = (reference) => /aws_security_group\.alb\b/.test(String(reference));

test('only the ALB accepts traffic from the whole internet', async () => {
  const open = [];
  for (const rule of await resources('aws_vpc_security_group_ingress_rule')) {
    const cidrs = [rule.body.cidr_ipv4, rule.body.cidr_ipv6].filter(Boolean);
    if (cidrs.some((cidr) => OPEN.includes(cidr)) && !isAlb(rule.body.security_group_id)) {
      open.push(`${rule.file}: ${rule.address}`);
    }
  }
  for (const rule of await resources('aws_security_group_rule')) {
    const cidrs = [...(rule.body.cidr_blocks || []), ...(rule.body.ipv6_cidr_blocks || [])];
    if (rule.body.type === 'ingress' && cidrs.some((cidr) => OPEN.includes(cidr)) && !isAlb(rule.body.security_group_id)) {
      open.push(`${rule.file}: ${rule.address}`);
    }
  }
  for (const group of await resources('aws_security_group')) {
    for (const ingress of group.body.ingress || []) {
      const cidrs = [...(ingress.cidr_blocks || []), ...(ingress.ipv6_cidr_blocks || [])];
      if (cidrs.some((cidr) => OPEN.includes(cidr)) && group.name !== 'alb') {
        open.push(`${group.file}: ${group.address} (inline ingress)`);
      }
    }
  }
  assert.deepEqual(open, [], `ingress from 0.0.0.0/0 outside the ALB: ${open.join(', ')}`);
});

test('the ALB does accept HTTPS from the internet', async () => {
  const rules = (await resources('aws_vpc_security_group_ingress_rule')).filter(
    (rule) => isAlb(rule.body.security_group_id) && rule.body.cidr_ipv4 === '0.0.0.0/0',
  );
  assert.ok(rules.some((rule) => rule.body.from_port === 443), 'no HTTPS ingress on the ALB');
});

test('data stores and services accept traffic from security groups, never from address ranges', async () => {
  const ranges = [];
  for (const rule of await resources('aws_vpc_security_group_ingress_rule')) {
    if (!isAlb(rule.body.security_group_id) && !rule.body.referenced_security_group_id) {
      ranges.push(`${rule.file}: ${rule.address}`);
    }
  }
  assert.deepEqual(ranges, []);
});

test('every subnet keeps public IPs off by default', async () => {
  for (const subnet of await resources('aws_subnet')) {
    assert.notEqual(subnet.body.map_public_ip_on_launch, true, `${subnet.file}: ${subnet.address}`);
  }
});

test('S3 is reachable through a free gateway endpoint', async () => {
  const endpoints = await resources('aws_vpc_endpoint');
  assert.ok(endpoints.some((endpoint) => endpoint.body.vpc_endpoint_type === 'Gateway' && /\.s3"?$/.test(endpoint.body.service_name.replace(/\}$/, ''))));
  assert.ok((await terraform()).length > 20, 'the estate was not found');
});
