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

/**
 * Serves the small web UI (a fixed set of files from the classpath) and answers every other path
 * outside {@code /api} with a 404 problem. Thread-safe; the files are read once.
 */
public final class WebUiServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Map<String, String> FILES =
      Map.of(
          "/", "index.html:text/html",
          "/index.html", "index.html:text/html",
          "/app.js", "app.js:text/javascript",
          "/app.css", "app.css:text/css");

  private final transient Map<String, byte[]> contents;

  public WebUiServlet() {
    java.util.HashMap<String, byte[]> loaded = new java.util.HashMap<>();
    for (var entry : FILES.entrySet()) {
      String file = entry.getValue().substring(0, entry.getValue().indexOf(':'));
      try (InputStream in = WebUiServlet.class.getResourceAsStream("/web/" + file)) {
        if (in != null) {
          loaded.put(entry.getKey(), in.readAllBytes());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    this.contents = Map.copyOf(loaded);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = request.getRequestURI();
    byte[] body = contents.get(path);
    if (body == null) {
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
    String spec = FILES.get(path);
    response.setContentType(spec.substring(spec.indexOf(':') + 1) + "; charset=utf-8");
    response.setHeader("Cache-Control", "no-cache");
    response.getOutputStream().write(body);
  }
}
