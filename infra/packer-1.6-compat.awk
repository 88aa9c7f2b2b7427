# Drops what Debian's Packer 1.6 cannot decode so the rest of a template can be validated:
# metadata_options blocks and imds_support lines (both newer than 1.6; the policy tests
# check them in the unmodified templates).
/^[[:space:]]*metadata_options[[:space:]]*\{/ { skipping = 1; next }
skipping && /^[[:space:]]*\}/ { skipping = 0; next }
skipping { next }
/^[[:space:]]*imds_support[[:space:]]*=/ { next }
{ print }
