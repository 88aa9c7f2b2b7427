package dev.kiln.api.resources;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the client's address behind the configured proxies (the ALB). {@code X-Forwarded-For} is
 * believed only when the direct peer is a trusted proxy, and then only from the right: each trusted
 * proxy appends the address it received the request from, so the rightmost entry that is not itself
 * a trusted proxy is the client. Entries further left were written by the client and are ignored.
 * With no trusted proxies (the default) the peer is the client. Immutable and thread-safe.
 */
public final class TrustedProxies {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final List<Block> blocks;

  /** {@code cidrs}: blocks such as {@code 10.0.0.0/16} or {@code fd00::/8}, or single addresses. */
  public TrustedProxies(List<String> cidrs) {
    List<Block> parsed = new ArrayList<>();
    for (String cidr : cidrs) {
      parsed.add(
          Block.parse(cidr)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "'"
                              + cidr
                              + "' is not an address block; write it as 10.0.0.0/16, fd00::/8"
                              + " or a single address")));
    }
    this.blocks = List.copyOf(parsed);
  }

  public static TrustedProxies none() {
    return new TrustedProxies(List.of());
  }

  /**
   * The client's address for a request from {@code peer} carrying these {@code X-Forwarded-For}
   * header values (in the order received; each may list several addresses).
   */
  public String clientAddress(String peer, List<String> forwardedFor) {
    if (blocks.isEmpty() || !trusts(peer) || forwardedFor.isEmpty()) {
      return peer;
    }
    List<String> hops = new ArrayList<>();
    for (String header : forwardedFor) {
      for (String hop : header.split(",")) {
        hops.add(hop.strip());
      }
    }
    String nearest = peer;
    for (int i = hops.size() - 1; i >= 0; i--) {
      Optional<InetAddress> hop = literal(hops.get(i));
      if (hop.isEmpty()) {
        // Not an address: a trusted proxy never writes this, so stop at the last one that did.
        return nearest;
      }
      String address = hop.get().getHostAddress();
      if (!trusts(hop.get())) {
        return address;
      }
      nearest = address;
    }
    return nearest;
  }

  boolean trusts(String address) {
    return literal(address).map(this::trusts).orElse(false);
  }

  private boolean trusts(InetAddress address) {
    return blocks.stream().anyMatch(block -> block.contains(address));
  }

  /** The address an IP literal names, without ever asking DNS; empty for anything else. */
  static Optional<InetAddress> literal(String text) {
    if (text == null || text.isEmpty() || text.length() > 45) {
      return Optional.empty();
    }
    String bare =
        text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    boolean v4 = IPV4.matcher(bare).matches() && octetsFit(bare);
    boolean v6 = bare.indexOf(':') >= 0 && bare.chars().allMatch(TrustedProxies::isV6Char);
    if (!v4 && !v6) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(bare));
    } catch (UnknownHostException notALiteral) {
      return Optional.empty();
    }
  }

  private static boolean octetsFit(String dotted) {
    for (String octet : dotted.split("\\.")) {
      if (Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean isV6Char(int c) {
    return Character.digit(c, 16) >= 0 || c == ':' || c == '.';
  }

  /** One address block. */
  private record Block(byte[] network, int prefixBits) {
    static Optional<Block> parse(String cidr) {
      String text = cidr == null ? "" : cidr.strip();
      int slash = text.indexOf('/');
      Optional<InetAddress> address = literal(slash < 0 ? text : text.substring(0, slash));
      if (address.isEmpty()) {
        return Optional.empty();
      }
      int maxBits = address.get().getAddress().length * 8;
      int bits = maxBits;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
      if (bits < 0 || bits > maxBits) {
        return Optional.empty();
      }
      return Optional.of(new Block(address.get().getAddress(), bits));
    }

    boolean contains(InetAddress address) {
      byte[] bytes = address.getAddress();
      if (bytes.length != network.length) {
        return false;
      }
      int whole = prefixBits / 8;
      for (int i = 0; i < whole; i++) {
        if (bytes[i] != network[i]) {
          return false;
        }
      }
      int rest = prefixBits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (bytes[whole] & mask) == (network[whole] & mask);
    }
  }
}
