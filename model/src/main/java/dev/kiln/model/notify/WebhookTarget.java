package dev.kiln.model.notify;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where one webhook request goes: the URL and the one address it was checked against, which the
 * sender then connects to (so a name cannot resolve to another address between check and connect).
 * Immutable.
 */
public record WebhookTarget(URI uri, String host, int port, boolean https, InetAddress address) {
  /** Longest URL accepted. */
  public static final int MAX_URL_LENGTH = 2000;

  /** Looks a host name up; {@code InetAddress::getAllByName} in production. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** A webhook URL that may not be used, with a sentence saying why. */
  public static final class RefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public RefusedException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Checks a URL and resolves its host: https only (http only to a loopback address when the policy
   * allows loopback), no user info, and every address the name resolves to allowed.
   */
  public static WebhookTarget check(String url, WebhookAddressPolicy policy, Resolver resolver)
      throws RefusedException {
    URI uri = parse(url);
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    boolean https = scheme.equals("https");
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw new RefusedException("The webhook's host " + host + " does not resolve.");
    }
    if (addresses.length == 0) {
      throw new RefusedException("The webhook's host " + host + " does not resolve.");
    }
    for (InetAddress address : addresses) {
      String refusal = policy.refusal(address).orElse(null);
      if (refusal != null) {
        throw new RefusedException(
            "The webhook's host "
                + host
                + " resolves to "
                + address.getHostAddress()
                + ", which "
                + refusal
                + "; webhooks go to public addresses only.");
      }
      if (!https && !WebhookAddressPolicy.isLoopback(address)) {
        throw new RefusedException(
            "Webhook URLs must use https; plain http is allowed only to this machine in local"
                + " mode.");
      }
    }
    int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
    return new WebhookTarget(uri, host, port, https, addresses[0]);
  }

  private static URI parse(String url) throws RefusedException {
    if (url == null || url.isBlank() || url.length() > MAX_URL_LENGTH) {
      throw new RefusedException(
          "A webhook needs a URL of at most " + MAX_URL_LENGTH + " characters.");
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new RefusedException("The webhook URL is not a valid URL: " + e.getReason() + ".");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new RefusedException("Webhook URLs must start with https://.");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      throw new RefusedException(
          "The webhook URL needs a host name and no user name, password or fragment.");
    }
    return uri;
  }
}
