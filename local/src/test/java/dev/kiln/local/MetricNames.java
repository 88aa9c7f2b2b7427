package dev.kiln.local;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Metric names in a Prometheus scrape, and those that alert rules or a dashboard query name. */
final class MetricNames {
  private static final Pattern TYPE = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$");
  private static final Pattern NAMED = Pattern.compile("\\b((?:kiln|jvm)_[a-z0-9_]+)");
  private static final String[] SERIES_SUFFIXES = {"_bucket", "_count", "_sum"};

  private MetricNames() {}

  /** Each metric family of a scrape in the text format, with its histograms' series names. */
  static Set<String> exported(String scrape) {
    Set<String> names = new TreeSet<>();
    Matcher type = TYPE.matcher(scrape);
    while (type.find()) {
      names.add(type.group(1));
      if (type.group(2).equals("histogram") || type.group(2).equals("summary")) {
        for (String suffix : SERIES_SUFFIXES) {
          names.add(type.group(1) + suffix);
        }
      }
    }
    return names;
  }

  /** Every Kiln or JVM metric a text of queries names. */
  static Set<String> named(String queries) {
    Set<String> names = new TreeSet<>();
    Matcher named = NAMED.matcher(queries);
    while (named.find()) {
      names.add(named.group(1));
    }
    return names;
  }
}
