#!/usr/bin/env python3
"""Monthly cost of an idle Kiln estate, from its Terraform plan and a committed price table.

    python3 infra/cost.py [--max-dev USD] [--prices FILE] [--details] PLAN.json [PLAN.json ...]

PLAN.json is `terraform show -json` of a plan (infra/terraform-plan.sh writes infra/.plans/dev.json
and prod.json); the estate is named by the file (dev.json -> dev). Idle means what the plan runs
with nobody using it: every Auto Scaling group at its desired capacity, and never below its minimum
(the agent groups, GPU and CPU, which the scheduler sizes, at their minimum of zero: listed at $0),
for the share of the week its office hours keep it awake (aws_autoscaling_schedule wake/sleep
pairs), the load balancer, NAT gateways, public IPv4 addresses, the database, the cache and the
alarms. Usage-driven charges (GPU hours, S3 storage and requests, data transfer, LCUs, logs) are
not idle cost. Prices come from infra/cost/prices-us-east-1.json (list prices, with the date they
were read). A resource type that is neither priced nor listed as free at idle fails the run, so a
new kind of resource makes someone decide what it costs.

Prints one line per estate (with --details, the items too); exits 1 when dev costs more than
--max-dev.
"""

import argparse
import json
import os
import sys

MINUTES_PER_WEEK = 7 * 24 * 60


class CostError(Exception):
    pass


def cron_minutes(expression):
    """Minutes of the week (Sunday 00:00 = 0) at which 'M H * * DOW' fires."""
    fields = expression.split()
    if len(fields) != 5 or fields[2] != "*" or fields[3] != "*":
        raise CostError(f"cannot read the recurrence '{expression}': expected 'M H * * DOW'")
    minute, hour, days = int(fields[0]), int(fields[1]), fields[4]
    weekdays = set()
    for part in days.split(","):
        if part == "*":
            weekdays.update(range(7))
        elif "-" in part:
            low, high = (int(x) for x in part.split("-"))
            weekdays.update(range(low, high + 1))
        else:
            weekdays.add(int(part))
    return sorted(((day % 7) * 24 * 60 + hour * 60 + minute) for day in weekdays)


def awake_share(wake, sleep):
    """Share of the week between each wake and the next sleep."""
    events = [(m, True) for m in cron_minutes(wake)] + [(m, False) for m in cron_minutes(sleep)]
    events.sort()
    if not events:
        return 1.0
    awake = events[-1][1]
    previous = events[-1][0] - MINUTES_PER_WEEK
    total = 0
    for minute, wakes in events:
        if awake:
            total += minute - previous
        awake, previous = wakes, minute
    return total / MINUTES_PER_WEEK


def walk(module):
    for resource in module.get("resources", []):
        if resource.get("mode") == "managed":
            yield resource
    for child in module.get("child_modules", []):
        yield from walk(child)


def first(value):
    if isinstance(value, list):
        return value[0] if value else {}
    return value or {}


def price(table, *keys):
    value = table
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            raise CostError(f"no price for {' '.join(keys)} in the price table")
        value = value[key]
    return value


def idle_cost(plan, prices):
    """[(item, monthly USD)] of one planned estate."""
    hours = prices["hours_per_month"]
    resources = list(walk(plan["planned_values"]["root_module"]))
    by_type = {}
    for resource in resources:
        by_type.setdefault(resource["type"], []).append(resource)
    values = lambda type_: [r["values"] for r in by_type.get(type_, [])]  # noqa: E731

    templates = {t["name"]: t for t in values("aws_launch_template") if t.get("name")}
    schedules = {}
    for schedule in values("aws_autoscaling_schedule"):
        group = schedules.setdefault(schedule["autoscaling_group_name"], {})
        kind = "wake" if schedule["desired_capacity"] != 0 or "wake" in schedule["scheduled_action_name"] else "sleep"
        group[kind] = schedule["recurrence"]

    items = []
    priced = {"aws_autoscaling_group", "aws_lb", "aws_nat_gateway", "aws_eip", "aws_db_instance",
              "aws_elasticache_replication_group", "aws_cloudwatch_metric_alarm"}
    unpriced = sorted({r["type"] for r in resources} - priced - set(prices["free_at_idle"]))
    if unpriced:
        raise CostError(f"no price and not free at idle: {', '.join(unpriced)} (add them to the price table)")

    for group in values("aws_autoscaling_group"):
        desired = max(group.get("desired_capacity") or 0, group.get("min_size") or 0)
        template = templates.get(group["name"])
        if desired == 0:
            # Scaled to zero when idle: counted, at nothing, so the report shows every group.
            kind = f" x {template['instance_type']}" if template else " instances"
            items.append((f"{group['name']} (0{kind}: at its minimum of 0 when idle)", 0.0))
            continue
        if template is None:
            raise CostError(f"group {group['name']} has no launch template of the same name")
        instance = price(prices, "ec2_instance_hour", template["instance_type"])
        disk = sum(first(d.get("ebs")).get("volume_size", 0) * price(prices, "ebs_gb_month", first(d.get("ebs")).get("volume_type", "gp3"))
                   for d in template.get("block_device_mappings") or [])
        public = any(n.get("associate_public_ip_address") in (True, "true") for n in template.get("network_interfaces") or [])
        share = 1.0
        schedule = schedules.get(group["name"], {})
        if "wake" in schedule and "sleep" in schedule:
            share = awake_share(schedule["wake"], schedule["sleep"])
        monthly = desired * share * (instance * hours + disk + (prices["public_ipv4_hour"] * hours if public else 0))
        note = f"{desired} x {template['instance_type']}, {disk / prices['ebs_gb_month']['gp3']:.0f} GB gp3"
        note += ", public IPv4" if public else ""
        note += f", awake {share:.0%} of the week" if share < 1 else ""
        items.append((f"{group['name']} ({note})", monthly))

    public_subnets = [s for s in values("aws_subnet") if (s.get("tags") or {}).get("Tier") == "public"]
    for lb in values("aws_lb"):
        internet = not lb.get("internal", False)
        addresses = len(public_subnets) if internet else 0
        items.append((f"load balancer {lb['name']} ({addresses} public IPv4)", (prices["alb_hour"] + addresses * prices["public_ipv4_hour"]) * hours))
    for _ in values("aws_nat_gateway"):
        items.append(("NAT gateway", prices["nat_gateway_hour"] * hours))
    for _ in values("aws_eip"):
        items.append(("elastic IP (public IPv4)", prices["public_ipv4_hour"] * hours))
    for db in values("aws_db_instance"):
        factor = prices["rds_multi_az_factor"] if db.get("multi_az") else 1
        instance = price(prices, "rds_instance_hour", db["instance_class"]) * hours * factor
        storage = db["allocated_storage"] * price(prices, "rds_storage_gb_month", db.get("storage_type") or "gp3") * factor
        items.append((f"RDS {db['instance_class']}{' Multi-AZ' if factor > 1 else ''}, {db['allocated_storage']} GB", instance + storage))
    for cache in values("aws_elasticache_replication_group"):
        nodes = cache.get("num_cache_clusters") or 1
        node = price(prices, "elasticache_node_hour", cache["engine"], cache["node_type"])
        items.append((f"ElastiCache {cache['engine']} {nodes} x {cache['node_type']}", nodes * node * hours))
    alarm_metrics = 0
    for alarm in values("aws_cloudwatch_metric_alarm"):
        queries = [q for q in alarm.get("metric_query") or [] if q.get("metric")]
        alarm_metrics += len(queries) if queries else 1
    if alarm_metrics:
        items.append((f"CloudWatch alarms ({alarm_metrics} metrics)", alarm_metrics * prices["cloudwatch_alarm_metric_month"]))
    return items


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description="Monthly cost of an idle estate from its Terraform plan.")
    parser.add_argument("plans", nargs="+", help="terraform show -json output, named <estate>.json")
    parser.add_argument("--prices", default=os.path.join(here, "cost", "prices-us-east-1.json"))
    parser.add_argument("--max-dev", type=float, help="fail when dev idles above this many USD a month")
    parser.add_argument("--details", action="store_true", help="print every item")
    args = parser.parse_args(argv)
    try:
        with open(args.prices, encoding="utf-8") as file:
            prices = json.load(file)
        over = []
        for path in args.plans:
            env = os.path.splitext(os.path.basename(path))[0]
            try:
                with open(path, encoding="utf-8") as file:
                    plan = json.load(file)
            except OSError as e:
                raise CostError(f"cannot read {path} ({e.strerror}): run infra/terraform-plan.sh first") from e
            items = idle_cost(plan, prices)
            total = sum(cost for _, cost in items)
            print(f"{env}: idle ${total:.2f}/month at {prices['region']} list prices of {prices['as_of']} "
                  f"({len(items)} items; largest: {max(items, key=lambda i: i[1])[0]})")
            if args.details:
                for item, cost in sorted(items, key=lambda i: -i[1]):
                    print(f"  ${cost:8.2f}  {item}")
            if env == "dev" and args.max_dev is not None and total > args.max_dev:
                over.append(f"dev idles at ${total:.2f}/month, above ${args.max_dev:.2f}")
        if over:
            print("cost: " + "; ".join(over), file=sys.stderr)
            return 1
        return 0
    except CostError as e:
        print(f"cost: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
