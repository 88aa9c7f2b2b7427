package dev.kiln.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Optional;

/** Checks, before anything starts, that the ports the API will listen on are free. Stateless. */
final class Ports {
  private Ports() {}

  /**
   * Why {@code port} cannot be listened on at 127.0.0.1, naming the option and the variable that
   * choose another; empty if it can (or is 0: any free port).
   */
  static Optional<String> taken(int port, String option, String variable) {
    if (port == 0) {
      return Optional.empty();
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(
          "port "
              + port
              + " is in use (is Kiln already running?): choose another with "
              + option
              + " N or "
              + variable
              + "=N");
    }
  }
}
