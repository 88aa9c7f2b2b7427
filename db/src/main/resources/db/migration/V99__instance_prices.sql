-- Hourly prices fetched from AWS: spot prices per instance type and Availability Zone
-- (ec2:DescribeSpotPriceHistory) and on-demand prices per instance type and region (the Pricing
-- API's GetProducts). A row is a price from the moment it took effect; a newer row of the same
-- type, option and location replaces it from its own moment on, so a shard is priced by the row in
-- effect when it ran. Fetching a price again only moves its fetched_at: the age of what is known.
create table instance_prices (
    instance_type   text             not null check (length(instance_type) between 1 and 64),
    purchase_option text             not null check (purchase_option in ('spot', 'on-demand')),
    region          text             not null check (length(region) between 1 and 32),
    -- the Availability Zone of a spot price, the region of an on-demand one
    location        text             not null check (length(location) between 1 and 32),
    usd_per_hour    double precision not null check (usd_per_hour >= 0 and usd_per_hour < 'infinity'),
    effective_at    timestamptz      not null,
    fetched_at      timestamptz      not null,
    source          text             not null check (source in ('spot-price-history', 'pricing-api')),
    primary key (instance_type, purchase_option, location, effective_at)
);
create index instance_prices_lookup_idx
    on instance_prices (instance_type, purchase_option, effective_at desc);

-- The Availability Zone of the agent that ran a shard (instance metadata), so a spot shard is
-- priced by its own zone's spot price. Null off EC2 and for shards recorded before zones were.
alter table shards add column availability_zone text check (length(availability_zone) <= 32);
