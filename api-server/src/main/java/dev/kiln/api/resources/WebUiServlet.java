package dev.kiln.api.resources;

import dev.kiln.client.api.Problem;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves the web UI (plain files under {@code /web} on the classpath: the page, its style sheet,
 * its JavaScript modules) and answers every other path outside {@code /api} with a 404 problem.
 * Thread-safe; each file is read once.
 */
public final class WebUiServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Pattern ASSET =
      Pattern.compile("/(?:js/)?[a-z0-9][a-z0-9-]*\\.(html|js|css|svg)");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html",
          "js", "text/javascript",
          "css", "text/css",
          "svg", "image/svg+xml");
  private static final byte[] MISSING = new byte[0];

  private final transient Map<String, byte[]> contents = new ConcurrentHashMap<>();

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = request.getRequestURI();
    if ("/".equals(path)) {
      path = "/index.html";
    }
    Matcher asset = ASSET.matcher(path);
    byte[] body = asset.matches() ? file(path) : MISSING;
    if (body == MISSING) {
      response.setStatus(404);
      response.setContentType(Problem.MEDIA_TYPE);
      String json =
          "{\"type\":\""
              + Problem.TYPE_BASE
              + "not-found\",\"title\":\"Not found\",\"status\":404,\"detail\":\"There is no page"
              + " here; the web UI is at / and the API under /api/v1.\"}";
      response.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
      return;
    }
    response.setContentType(TYPES.get(asset.group(1)) + "; charset=utf-8");
    response.setHeader("Cache-Control", "no-cache");
    response.getOutputStream().write(body);
  }

  /** The file's bytes, or MISSING; only files that exist are kept (the names are the caller's). */
  private byte[] file(String path) {
    byte[] known = contents.get(path);
    if (known != null) {
      return known;
    }
    byte[] read = read(path);
    if (read != MISSING) {
      contents.put(path, read);
    }
    return read;
  }

  private static byte[] read(String path) {
    try (InputStream in = WebUiServlet.class.getResourceAsStream("/web" + path)) {
      return in == null ? MISSING : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
