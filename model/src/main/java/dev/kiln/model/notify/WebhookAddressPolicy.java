package dev.kiln.model.notify;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Which addresses a webhook may be delivered to: public unicast only. Refuses loopback (unless
 * allowed, for local mode), private (RFC 1918), link-local (169.254.0.0/16 with the cloud metadata
 * address, fe80::/10), unique-local (fc00::/7), CGNAT (100.64.0.0/10), multicast, unspecified,
 * broadcast and the other reserved ranges, and the IPv6 forms that carry an IPv4 address
 * (IPv4-mapped, IPv4-compatible, NAT64, 6to4) by the IPv4 address inside. Pure; thread-safe.
 */
public final class WebhookAddressPolicy {
  private final boolean allowLoopback;

  public WebhookAddressPolicy(boolean allowLoopback) {
    this.allowLoopback = allowLoopback;
  }

  public boolean allowsLoopback() {
    return allowLoopback;
  }

  /** Why a webhook may not be sent to this address; empty when it may. */
  public Optional<String> refusal(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (address instanceof Inet6Address) {
      Optional<byte[]> embedded = embeddedIpv4(bytes);
      if (embedded.isPresent()) {
        return refusalIpv4(embedded.get());
      }
      return refusalIpv6(bytes);
    }
    if (address instanceof Inet4Address) {
      return refusalIpv4(bytes);
    }
    return Optional.of("is not an IP address");
  }

  /** Whether the address is a loopback address (in any form), for the plain-HTTP rule. */
  public static boolean isLoopback(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length == 16) {
      Optional<byte[]> embedded = embeddedIpv4(bytes);
      if (embedded.isPresent()) {
        return (embedded.get()[0] & 0xff) == 127;
      }
      return isIpv6Loopback(bytes);
    }
    return (bytes[0] & 0xff) == 127;
  }

  private Optional<String> refusalIpv4(byte[] b) {
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    if (a0 == 127) {
      return allowLoopback ? Optional.empty() : Optional.of("is a loopback address");
    }
    if (a0 == 0) {
      return Optional.of("is an unspecified or 'this network' address");
    }
    if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
      return Optional.of("is a private address");
    }
    if (a0 == 169 && a1 == 254) {
      return Optional.of("is a link-local address (cloud metadata included)");
    }
    if (a0 == 100 && (a1 & 0xc0) == 64) {
      return Optional.of("is a carrier-grade NAT address");
    }
    if (a0 >= 224 && a0 <= 239) {
      return Optional.of("is a multicast address");
    }
    if (a0 >= 240) {
      return Optional.of("is a reserved or broadcast address");
    }
    if (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0) {
      return Optional.of("is an IETF protocol assignment address");
    }
    if (a0 == 198 && (a1 & 0xfe) == 18) {
      return Optional.of("is a benchmarking address");
    }
    if ((a0 == 192 && a1 == 0 && (b[2] & 0xff) == 2)
        || (a0 == 198 && a1 == 51 && (b[2] & 0xff) == 100)
        || (a0 == 203 && a1 == 0 && (b[2] & 0xff) == 113)) {
      return Optional.of("is a documentation address");
    }
    return Optional.empty();
  }

  private Optional<String> refusalIpv6(byte[] b) {
    if (isIpv6Loopback(b)) {
      return allowLoopback ? Optional.empty() : Optional.of("is a loopback address");
    }
    if (allZero(b, 0, 16)) {
      return Optional.of("is the unspecified address");
    }
    int b0 = b[0] & 0xff;
    int b1 = b[1] & 0xff;
    if (b0 == 0xff) {
      return Optional.of("is a multicast address");
    }
    if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
      return Optional.of("is a link-local address");
    }
    if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
      return Optional.of("is a site-local address");
    }
    if ((b0 & 0xfe) == 0xfc) {
      return Optional.of("is a unique-local address");
    }
    if (b0 == 0x20 && b1 == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
      return Optional.of("is a documentation address");
    }
    if (b0 == 0x01 && b1 == 0x00 && allZero(b, 2, 8)) {
      return Optional.of("is a discard-only address");
    }
    if ((b0 & 0xe0) != 0x20) {
      return Optional.of("is outside the global unicast range");
    }
    return Optional.empty();
  }

  /**
   * The IPv4 address an IPv6 address carries: IPv4-mapped {@code ::ffff:a.b.c.d}, IPv4-compatible
   * {@code ::a.b.c.d}, IPv4-translated {@code ::ffff:0:a.b.c.d}, NAT64 {@code 64:ff9b::a.b.c.d} and
   * {@code 64:ff9b:1::/48}, 6to4 {@code 2002:a.b.c.d::/48}, Teredo {@code 2001::/32} (the client
   * address, inverted).
   */
  private static Optional<byte[]> embeddedIpv4(byte[] b) {
    byte[] last = {b[12], b[13], b[14], b[15]};
    if (allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return Optional.of(last);
    }
    if (allZero(b, 0, 12) && !(allZero(b, 12, 15) && (b[15] & 0xff) <= 1)) {
      return Optional.of(last);
    }
    if (allZero(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && allZero(b, 10, 12)) {
      return Optional.of(last);
    }
    if ((b[0] & 0xff) == 0x00
        && (b[1] & 0xff) == 0x64
        && (b[2] & 0xff) == 0xff
        && (b[3] & 0xff) == 0x9b
        && (allZero(b, 4, 12) || ((b[4] & 0xff) == 0 && (b[5] & 0xff) == 1))) {
      return Optional.of(last);
    }
    if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
      return Optional.of(new byte[] {b[2], b[3], b[4], b[5]});
    }
    if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && allZero(b, 2, 4)) {
      return Optional.of(new byte[] {(byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15]});
    }
    return Optional.empty();
  }

  private static boolean isIpv6Loopback(byte[] b) {
    return allZero(b, 0, 15) && b[15] == 1;
  }

  private static boolean allZero(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
