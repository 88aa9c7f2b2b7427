package dev.kiln.simulator;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Draws runs of one trace as an SVG: three panels over simulated hours (shards queued, agents
 * alive, cumulative spend), one line per run. Hand-written SVG, no library.
 */
public final class SvgPlot {
  private static final String[] COLOURS = {"#d9480f", "#1c7ed6", "#2b8a3e", "#862e9c"};
  private static final int WIDTH = 900;
  private static final int PANEL = 180;
  private static final int LEFT = 70;
  private static final int TOP = 40;
  private static final int GAP = 40;

  private SvgPlot() {}

  public static String draw(String title, List<Result> runs) {
    double end =
        runs.stream()
            .flatMap(run -> run.samples().stream())
            .mapToDouble(Result.Sample::atSeconds)
            .max()
            .orElse(1);
    StringBuilder svg = new StringBuilder();
    int height = TOP + 3 * (PANEL + GAP) + 20 * runs.size() + 20;
    svg.append(
        format(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">\n",
            WIDTH, height));
    svg.append(format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", WIDTH, height));
    svg.append(format("<text x=\"%d\" y=\"22\" font-size=\"15\">%s</text>\n", LEFT, escape(title)));
    panel(svg, runs, end, 0, "shards queued", sample -> sample.backlog());
    panel(svg, runs, end, 1, "agents", sample -> sample.agents());
    panel(svg, runs, end, 2, "spend, USD", Result.Sample::spendUsd);
    int legendY = TOP + 3 * (PANEL + GAP);
    for (int i = 0; i < runs.size(); i++) {
      int y = legendY + 20 * i;
      svg.append(
          format(
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>"
                  + "<text x=\"%d\" y=\"%d\">%s</text>\n",
              LEFT,
              y,
              LEFT + 30,
              y,
              COLOURS[i % COLOURS.length],
              LEFT + 40,
              y + 4,
              escape(runs.get(i).fleet())));
    }
    return svg.append("</svg>\n").toString();
  }

  private static void panel(
      StringBuilder svg,
      List<Result> runs,
      double end,
      int index,
      String label,
      ToDoubleFunction<Result.Sample> value) {
    int top = TOP + index * (PANEL + GAP);
    int plotWidth = WIDTH - LEFT - 20;
    double max =
        Math.max(
            1e-9,
            runs.stream()
                .flatMap(run -> run.samples().stream())
                .mapToDouble(value)
                .max()
                .orElse(1));
    svg.append(
        format(
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#bbb\"/>\n",
            LEFT, top, plotWidth, PANEL));
    svg.append(format("<text x=\"%d\" y=\"%d\">%s</text>\n", LEFT + 5, top - 6, label));
    svg.append(
        format(
            "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
            LEFT - 5, top + 10, compact(max)));
    svg.append(
        format("<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n", LEFT - 5, top + PANEL));
    for (int hour = 0; hour <= end / 3600; hour += Math.max(1, (int) (end / 3600 / 12))) {
      double x = LEFT + plotWidth * hour * 3600 / end;
      svg.append(
          format(
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#666\">%dh</text>\n",
              x, top + PANEL + 14, hour));
    }
    for (int i = 0; i < runs.size(); i++) {
      StringBuilder points = new StringBuilder();
      for (Result.Sample sample : runs.get(i).samples()) {
        double x = LEFT + plotWidth * sample.atSeconds() / end;
        double y = top + PANEL - PANEL * value.applyAsDouble(sample) / max;
        points.append(format("%.1f,%.1f ", x, y));
      }
      svg.append(
          format(
              "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>\n",
              COLOURS[i % COLOURS.length], points.toString().strip()));
    }
  }

  private static String compact(double value) {
    return value >= 100 || value == Math.rint(value)
        ? format("%.0f", value)
        : format("%.1f", value);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String format(String pattern, Object... arguments) {
    return String.format(Locale.ROOT, pattern, arguments);
  }
}
