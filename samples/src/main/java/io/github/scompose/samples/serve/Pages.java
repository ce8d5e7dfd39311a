package io.github.scompose.samples.serve;

import io.github.scompose.core.client.SecretValues;
import io.github.scompose.core.errors.SingularityException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server-rendered HTML of {@link ImageServer}: plain HTML with one stylesheet and one small
 * script ({@code /static/serve.css}, {@code /static/serve.js}; no build step). Every text from an
 * image or the folder is escaped; secret-looking labels are masked.
 */
final class Pages {

  private final boolean tokenRequired;

  Pages(boolean tokenRequired) {
    this.tokenRequired = tokenRequired;
  }

  String home(ImageCatalog catalog) {
    StringBuilder b = head("Singularity images");
    b.append("<h1>Singularity images</h1>\n<p class=\"folder\">Folder <code>")
        .append(escape(catalog.folder().folder().toString()))
        .append("</code> · <a href=\"/api/images\">JSON</a></p>\n");
    List<ServedImage> images = catalog.images();
    if (images.isEmpty()) {
      b.append(
          "<p id=\"empty\">No images yet: put <code>*.sif</code>, <code>*.simg</code>,"
              + " <code>*.img</code> files or sandbox folders into the folder and reload.</p>\n");
    } else {
      b.append(
          "<table id=\"images\"><thead><tr><th>Image</th><th>Size</th><th>Modified</th>"
              + "<th>Labels</th><th>Arguments</th></tr></thead><tbody>\n");
      for (ServedImage i : images) {
        String labels;
        String arguments;
        try {
          ImageCatalog.ImageDetails d = catalog.details(i);
          labels = String.valueOf(d.labels().size());
          arguments =
              d.arguments().declared().isEmpty()
                  ? "none"
                  : String.join(
                      ", ",
                      d.arguments().declared().stream()
                          .map(a -> a.name() + " (" + a.type().jsonName() + ")")
                          .toList());
        } catch (SingularityException e) {
          labels = "?";
          arguments = "cannot be inspected";
        }
        b.append("<tr><td><a class=\"image\" href=\"/images/")
            .append(escape(pathSegment(i.name())))
            .append("\">")
            .append(escape(i.name()))
            .append("</a>")
            .append(i.sandbox() ? " <span class=\"tag\">sandbox</span>" : "")
            .append("</td><td>")
            .append(i.sandbox() ? "-" : escape(size(i.sizeBytes())))
            .append("</td><td>")
            .append(escape(i.modified().toString()))
            .append("</td><td>")
            .append(labels)
            .append("</td><td>")
            .append(escape(arguments))
            .append("</td></tr>\n");
      }
      b.append("</tbody></table>\n");
    }
    return foot(b);
  }

  String image(ServedImage image, ImageCatalog.ImageDetails d) {
    String api = "/api/images/" + pathSegment(image.name());
    StringBuilder b = head(image.name());
    b.append("<p><a href=\"/\">← all images</a></p>\n<h1>")
        .append(escape(image.name()))
        .append("</h1>\n");
    b.append("<h2>Run</h2>\n<form id=\"run-form\" method=\"post\" action=\"")
        .append(escape(api + "/run"))
        .append("\">\n");
    if (d.arguments().declared().isEmpty()) {
      b.append("<p>The image declares no runscript arguments.</p>\n");
    }
    for (RunscriptArgument a : d.arguments().declared()) {
      String id = "arg-" + a.name();
      b.append("<div class=\"field\"><label for=\"")
          .append(escape(id))
          .append("\">")
          .append(escape(a.name()))
          .append(" <span class=\"type\">")
          .append(a.type().jsonName())
          .append("</span></label> ");
      String input =
          switch (a.type()) {
            case STR -> "type=\"text\" pattern=\"[A-Za-z0-9._@+\\-]*\" maxlength=\"256\"";
            case INT -> "type=\"number\" step=\"1\"";
            case FLOAT -> "type=\"number\" step=\"any\"";
            case BOOL -> "type=\"checkbox\" value=\"true\"";
          };
      b.append("<input ")
          .append(input)
          .append(" id=\"")
          .append(escape(id))
          .append("\" name=\"")
          .append(escape(a.name()))
          .append("\" data-type=\"")
          .append(a.type().jsonName())
          .append("\"></div>\n");
    }
    if (tokenRequired) {
      b.append(
          "<div class=\"field\"><label for=\"token\">Token</label> <input type=\"password\""
              + " id=\"token\" autocomplete=\"off\"></div>\n");
    }
    b.append("<button type=\"submit\" id=\"run\">Run</button>\n</form>\n");
    b.append("<h2>Result</h2>\n<p id=\"status\" class=\"status\">Not run yet.</p>\n");
    b.append("<pre id=\"result\" data-state=\"idle\"></pre>\n");
    b.append("<h2>Labels</h2>\n<p><a href=\"")
        .append(escape(api + "/labels"))
        .append("\">as JSON</a></p>\n");
    if (d.labels().isEmpty()) {
      b.append("<p>No labels.</p>\n");
    } else {
      b.append(
          "<table id=\"labels\"><thead><tr><th>Label</th><th>Value</th></tr></thead><tbody>\n");
      for (Map.Entry<String, String> l : new TreeMap<>(d.labels()).entrySet()) {
        b.append("<tr><td>")
            .append(escape(l.getKey()))
            .append("</td><td>")
            .append(escape(SecretValues.shown(l.getKey(), l.getValue())))
            .append("</td></tr>\n");
      }
      b.append("</tbody></table>\n");
    }
    b.append("<h2>Runscript</h2>\n<pre id=\"runscript\">")
        .append(escape(SecretValues.maskText(d.runscript())))
        .append("</pre>\n");
    return foot(b);
  }

  String notFound() {
    StringBuilder b = head("Not found");
    b.append(
        "<h1>Not found</h1>\n<p>No image of that name is in the served folder."
            + " <a href=\"/\">All images</a></p>\n");
    return foot(b);
  }

  private static StringBuilder head(String title) {
    return new StringBuilder(4096)
        .append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>")
        .append(escape(title))
        .append(" · scompose serve</title>\n")
        .append("<link rel=\"stylesheet\" href=\"/static/serve.css\">\n")
        .append("<script src=\"/static/serve.js\" defer></script>\n</head>\n<body>\n<main>\n");
  }

  private static String foot(StringBuilder b) {
    return b.append("</main>\n<footer>scompose serve</footer>\n</body>\n</html>\n").toString();
  }

  /** HTML-escapes text for element content and double-quoted attributes. */
  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** {@code name} percent-encoded as one path segment (spaces as {@code %20}). */
  static String pathSegment(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Bytes for people, powers of 1000: {@code 512 B}, {@code 3.4 MB}. */
  static String size(long bytes) {
    String[] units = {"B", "kB", "MB", "GB", "TB"};
    double v = bytes;
    int u = 0;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return u == 0 ? bytes + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
