package dev.kiln.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on a free loopback port in front of a real service (PostgreSQL, Redis), for outage
 * tests: while cut it drops every open connection and refuses new ones, as a network partition or a
 * stopped server would look to a client. Thread-safe.
 */
public final class CuttableProxy implements AutoCloseable {
  private final ServerSocket server = new ServerSocket();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final String host;
  private final int targetPort;
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile boolean cut;

  /** Starts forwarding connections on a free port to {@code host:targetPort}. */
  public CuttableProxy(String host, int targetPort) throws IOException {
    this.host = host;
    this.targetPort = targetPort;
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    Thread acceptor = new Thread(this::accept, "proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Connections accepted so far, cut or not. */
  public int accepted() {
    return accepted.get();
  }

  /** The port to connect to instead of the service's. */
  public int port() {
    return server.getLocalPort();
  }

  /** Cuts (drops every connection, refuses new ones) or restores the connection to the service. */
  public void cut(boolean cutNow) {
    cut = cutNow;
    if (cutNow) {
      for (Socket socket : open) {
        closeQuietly(socket);
      }
      open.clear();
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        accepted.incrementAndGet();
        if (cut) {
          closeQuietly(client);
          continue;
        }
        Socket target = new Socket(host, targetPort);
        open.add(client);
        open.add(target);
        pump(client, target);
        pump(target, client);
      } catch (IOException e) {
        // closed, or the target refused: the client sees its connection drop
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread thread =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // one side closed
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    cut(true);
    server.close();
  }
}
