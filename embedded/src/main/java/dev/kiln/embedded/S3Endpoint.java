package dev.kiln.embedded;

import java.net.URI;

/** An S3-compatible endpoint, addressed path-style, with static credentials. */
public record S3Endpoint(URI endpoint, String accessKey, String secretKey, String region) {}
