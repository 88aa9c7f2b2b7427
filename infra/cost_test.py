#!/usr/bin/env python3
"""Tests of infra/cost.py on small plans: python3 -m unittest discover -s infra -p 'cost_test.py'."""

import json
import os
import unittest

import cost

PRICES = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "cost", "prices-us-east-1.json"), encoding="utf-8"))


def plan(*resources):
    return {"planned_values": {"root_module": {"child_modules": [{"resources": [
        {"mode": "managed", "type": type_, "name": "x", "values": values} for type_, values in resources]}]}}}


WEB_TEMPLATE = ("aws_launch_template", {
    "name": "kiln-dev-web-blue", "instance_type": "t3.small",
    "block_device_mappings": [{"ebs": [{"volume_size": 16, "volume_type": "gp3"}]}],
    "network_interfaces": [{"associate_public_ip_address": "true"}]})
WEB_GROUP = ("aws_autoscaling_group", {"name": "kiln-dev-web-blue", "desired_capacity": 1})


class AwakeShareTest(unittest.TestCase):
    def test_weekdays_seven_to_seven_are_sixty_hours_of_the_week(self):
        self.assertAlmostEqual(cost.awake_share("0 7 * * 1-5", "0 19 * * 1-5"), 60 / 168)

    def test_a_sleep_on_friday_evening_only_keeps_the_weekend_off(self):
        self.assertAlmostEqual(cost.awake_share("0 7 * * 1", "0 19 * * 5"), (4 * 24 + 12) / 168)

    def test_an_expression_it_cannot_read_is_refused(self):
        with self.assertRaises(cost.CostError):
            cost.awake_share("0 7 1 * *", "0 19 * * 1-5")


class IdleCostTest(unittest.TestCase):
    def test_an_instance_costs_its_hours_volume_and_public_address(self):
        items = cost.idle_cost(plan(WEB_TEMPLATE, WEB_GROUP), PRICES)
        self.assertEqual(len(items), 1)
        self.assertAlmostEqual(items[0][1], 0.0208 * 730 + 16 * 0.08 + 0.005 * 730)

    def test_office_hours_scale_the_instance_by_the_share_of_the_week_awake(self):
        schedules = [("aws_autoscaling_schedule", {"autoscaling_group_name": "kiln-dev-web-blue", "scheduled_action_name": name,
                                                   "recurrence": recurrence, "desired_capacity": size})
                     for name, recurrence, size in [("kiln-wake", "0 7 * * 1-5", 1), ("kiln-sleep", "0 19 * * 1-5", 0)]]
        items = cost.idle_cost(plan(WEB_TEMPLATE, WEB_GROUP, *schedules), PRICES)
        self.assertAlmostEqual(items[0][1], (0.0208 * 730 + 16 * 0.08 + 0.005 * 730) * 60 / 168)
        self.assertIn("awake 36% of the week", items[0][0])

    def test_a_group_at_zero_is_counted_at_nothing(self):
        gpu = ("aws_autoscaling_group", {"name": "kiln-dev-gpu", "desired_capacity": 0, "min_size": 0})
        self.assertEqual(cost.idle_cost(plan(gpu), PRICES), [("kiln-dev-gpu (0 instances: at its minimum of 0 when idle)", 0.0)])

    def test_the_cpu_group_is_counted_at_its_minimum_of_zero(self):
        template = ("aws_launch_template", {"name": "kiln-dev-cpu", "instance_type": "c6a.large",
                                            "block_device_mappings": [{"ebs": [{"volume_size": 16, "volume_type": "gp3"}]}]})
        cpu = ("aws_autoscaling_group", {"name": "kiln-dev-cpu", "desired_capacity": 0, "min_size": 0, "max_size": 4})
        items = cost.idle_cost(plan(template, cpu), PRICES)
        self.assertEqual(items, [("kiln-dev-cpu (0 x c6a.large: at its minimum of 0 when idle)", 0.0)])

    def test_a_group_is_counted_at_its_minimum_when_that_is_above_the_desired_capacity(self):
        group = ("aws_autoscaling_group", {"name": "kiln-dev-web-blue", "desired_capacity": 0, "min_size": 1})
        items = cost.idle_cost(plan(WEB_TEMPLATE, group), PRICES)
        self.assertAlmostEqual(items[0][1], 0.0208 * 730 + 16 * 0.08 + 0.005 * 730)

    def test_the_load_balancer_pays_for_an_address_per_public_subnet(self):
        subnets = [("aws_subnet", {"tags": {"Tier": "public"}}), ("aws_subnet", {"tags": {"Tier": "public"}}),
                   ("aws_subnet", {"tags": {"Tier": "private"}})]
        items = cost.idle_cost(plan(("aws_lb", {"name": "kiln-dev", "internal": False}), *subnets), PRICES)
        self.assertAlmostEqual(items[0][1], (0.0225 + 2 * 0.005) * 730)

    def test_valkey_and_multi_az_are_priced_as_such(self):
        items = dict(cost.idle_cost(plan(
            ("aws_elasticache_replication_group", {"engine": "valkey", "node_type": "cache.t4g.micro", "num_cache_clusters": 1}),
            ("aws_db_instance", {"instance_class": "db.t4g.micro", "multi_az": True, "allocated_storage": 20, "storage_type": "gp3"}),
        ), PRICES))
        self.assertAlmostEqual(items["ElastiCache valkey 1 x cache.t4g.micro"], 0.0128 * 730)
        self.assertAlmostEqual(items["RDS db.t4g.micro Multi-AZ, 20 GB"], 2 * (0.016 * 730 + 20 * 0.115))

    def test_a_resource_type_without_a_price_fails_the_run(self):
        with self.assertRaises(cost.CostError) as raised:
            cost.idle_cost(plan(("aws_instance", {"instance_type": "t3.small"})), PRICES)
        self.assertIn("aws_instance", str(raised.exception))


if __name__ == "__main__":
    unittest.main()
