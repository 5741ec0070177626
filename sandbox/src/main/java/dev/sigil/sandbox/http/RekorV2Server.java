package dev.sigil.sandbox.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sigil.sandbox.rekor.DuplicateEntryException;
import dev.sigil.sandbox.rekor.InvalidEntryException;
import dev.sigil.sandbox.rekor.LogEntry;
import dev.sigil.sandbox.rekor.RekorV2Entries;
import dev.sigil.sandbox.rekor.TransparencyLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * A Rekor v2 log over HTTP: the write API of rekor-tiles and the read side of C2SP tlog-tiles, served from a {@link
 * TransparencyLog} of generation {@link TransparencyLog.Generation#REKOR_V2} on a caller's {@link HttpServer}.
 *
 * <ul>
 *   <li>{@code POST /api/v2/log/entries} with a {@code CreateEntryRequest} ({@link RekorV2Entries}): 201 with the
 *       {@code TransparencyLogEntry} (protobuf JSON: {@code logIndex}, {@code logId.keyId}, {@code kindVersion},
 *       {@code inclusionProof} with its {@code checkpoint.envelope}, {@code canonicalizedBody}; no integrated time and
 *       no SET), answered only once the entry is durable; an entry already logged is answered as logged (200), as a
 *       deduplicating log does; 400 for invalid requests, 413 for bodies over {@value RekorV2Entries#MAX_REQUEST_BYTES}
 *       bytes.
 *   <li>{@code GET /checkpoint}: the latest signed checkpoint (C2SP signed note, origin the log's hostname).
 *   <li>{@code GET /tile/<L>/<N>[.p/<W>]}: hash tiles; {@code GET /tile/entries/<N>[.p/<W>]}: entry bundles. {@code N}
 *       is written as C2SP tlog-tiles says ({@code x001/x234/067}); only the canonical spelling is served. Tiles are
 *       immutable once served and say so ({@code Cache-Control: immutable}); a tile the committed tree does not yet
 *       hold is 404.
 * </ul>
 *
 * Errors are {@code {"code": n, "message": "..."}} (JSON) for the write API and plain text for the read side; never
 * stack traces.
 */
public final class RekorV2Server {
  public static final String ENTRIES = "/api/v2/log/entries";
  public static final String CHECKPOINT = "/checkpoint";
  public static final String TILES = "/tile/";

  private static final System.Logger LOG = System.getLogger(RekorV2Server.class.getName());
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Map<String, String> IMMUTABLE = Map.of("Cache-Control", "public, max-age=31536000, immutable");

  private final TransparencyLog log;

  public RekorV2Server(TransparencyLog log) {
    this.log = Objects.requireNonNull(log, "log");
    if (log.generation() != TransparencyLog.Generation.REKOR_V2) {
      throw new IllegalArgumentException("log: expected a Rekor v2 log, found " + log.generation());
    }
  }

  /** Serves the write API, the checkpoint and the tiles on {@code server}, which stays the caller's. */
  public void mount(HttpServer server) {
    server.createContext(ENTRIES, ex -> handle(ex, this::createEntry));
    server.createContext(CHECKPOINT, ex -> handle(ex, this::checkpoint));
    server.createContext(TILES, ex -> handle(ex, this::tile));
  }

  private interface Handler {
    void handle(HttpExchange ex) throws IOException, HttpError;
  }

  private static final class HttpError extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final boolean json;

    HttpError(int status, String message, boolean json) {
      super(message, null, false, false);
      this.status = status;
      this.json = json;
    }
  }

  private static void handle(HttpExchange ex, Handler h) {
    try (ex) {
      try {
        h.handle(ex);
      } catch (HttpError e) {
        sendError(ex, e.status, e.getMessage(), e.json);
      } catch (IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "rekor v2: " + ex.getRequestMethod() + " "
            + ex.getRequestURI().getRawPath() + " failed", e);
        sendError(ex, 500, "internal error", true);
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "rekor v2: could not send the response", e);
    }
  }

  private void createEntry(HttpExchange ex) throws IOException, HttpError {
    if (!Exchanges.path(ex).equals(ENTRIES)) {
      Exchanges.drain(ex.getRequestBody());
      throw new HttpError(404, "path not found", true);
    }
    if (!ex.getRequestMethod().equals("POST")) {
      Exchanges.drain(ex.getRequestBody());
      ex.getResponseHeaders().set("Allow", "POST");
      throw new HttpError(405, "method " + ex.getRequestMethod() + " is not allowed", true);
    }
    byte[] body;
    try {
      body = Exchanges.readBody(ex, RekorV2Entries.MAX_REQUEST_BYTES);
    } catch (Exchanges.BodyRefused e) {
      throw new HttpError(e.tooLarge() ? 413 : 400,
          e.tooLarge() ? "request body exceeds " + RekorV2Entries.MAX_REQUEST_BYTES + " bytes" : "invalid Content-Length",
          true);
    }
    LogEntry entry;
    int status = 201;
    try {
      entry = log.submit(body);
    } catch (InvalidEntryException e) {
      throw new HttpError(400, e.getMessage(), true);
    } catch (DuplicateEntryException e) {
      entry = log.entry(e.existingIndex());
      status = 200;
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, e.getMessage(), true);
    }
    byte[] json = JSON.writeValueAsBytes(transparencyLogEntry(entry));
    Exchanges.send(ex, status, "application/json", json, Map.of());
  }

  /** An entry as protobuf JSON {@code dev.sigstore.rekor.v1.TransparencyLogEntry}, as Rekor v2 answers. */
  public static ObjectNode transparencyLogEntry(LogEntry e) {
    Base64.Encoder b64 = Base64.getEncoder();
    ObjectNode o = JSON.createObjectNode();
    o.put("logIndex", Long.toString(e.logIndex()));
    o.putObject("logId").put("keyId", b64.encodeToString(e.logId()));
    o.putObject("kindVersion").put("kind", e.kind()).put("version", e.apiVersion());
    ObjectNode p = o.putObject("inclusionProof");
    LogEntry.InclusionProof ip = e.inclusionProof();
    p.put("logIndex", Long.toString(ip.logIndex()));
    p.put("rootHash", b64.encodeToString(ip.rootHash()));
    p.put("treeSize", Long.toString(ip.treeSize()));
    ArrayNode hashes = p.putArray("hashes");
    for (byte[] h : ip.hashes()) {
      hashes.add(b64.encodeToString(h));
    }
    p.putObject("checkpoint").put("envelope", ip.checkpoint());
    o.put("canonicalizedBody", b64.encodeToString(e.body()));
    return o;
  }

  private void checkpoint(HttpExchange ex) throws IOException, HttpError {
    Exchanges.drain(ex.getRequestBody());
    requireGet(ex);
    if (!ex.getRequestURI().getRawPath().equals(CHECKPOINT)) {
      throw new HttpError(404, "not found", false);
    }
    Exchanges.send(ex, 200, "text/plain; charset=utf-8", log.checkpoint().note().getBytes(StandardCharsets.UTF_8),
        Map.of());
  }

  private void tile(HttpExchange ex) throws IOException, HttpError {
    Exchanges.drain(ex.getRequestBody());
    requireGet(ex);
    TilePath t = TilePath.parse(ex.getRequestURI().getRawPath());
    if (t == null) {
      throw new HttpError(404, "not found: expected /tile/<L>/<N>[.p/<W>] or /tile/entries/<N>[.p/<W>] with N in"
          + " C2SP tlog-tiles form", false);
    }
    byte[] body;
    try {
      body = t.entries() ? log.entryBundle(t.index(), t.width()) : log.tile(t.level(), t.index(), t.width());
    } catch (IllegalArgumentException e) {
      throw new HttpError(404, "not found: " + e.getMessage(), false);
    }
    Exchanges.send(ex, 200, "application/octet-stream", body, IMMUTABLE);
  }

  private static void requireGet(HttpExchange ex) throws HttpError {
    String m = ex.getRequestMethod();
    if (!m.equals("GET") && !m.equals("HEAD")) {
      ex.getResponseHeaders().set("Allow", "GET, HEAD");
      throw new HttpError(405, "method not allowed", false);
    }
  }

  private static void sendError(HttpExchange ex, int status, String message, boolean json) throws IOException {
    if (json) {
      ObjectNode o = JSON.createObjectNode();
      o.put("code", status);
      o.put("message", message);
      Exchanges.send(ex, status, "application/json", JSON.writeValueAsBytes(o), Map.of());
    } else {
      Exchanges.send(ex, status, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8),
          Map.of());
    }
  }

  /**
   * A tile path of C2SP tlog-tiles: {@code /tile/<L>/<N>[.p/<W>]} or {@code /tile/entries/<N>[.p/<W>]}.
   *
   * @param level the tile level (0 for entry bundles)
   * @param width 256 for full tiles, 1 to 255 for partial ones
   */
  public record TilePath(boolean entries, int level, long index, int width) {
    /** The canonical path of this tile. */
    public String path() {
      String n = encodeIndex(index);
      return "/tile/" + (entries ? "entries" : Integer.toString(level)) + "/" + n
          + (width == TransparencyLog.TILE_WIDTH ? "" : ".p/" + width);
    }

    /** {@code 1234067} as {@code x001/x234/067}: groups of three digits, all but the last prefixed with x. */
    public static String encodeIndex(long n) {
      String s = Long.toString(n);
      int pad = (3 - s.length() % 3) % 3;
      s = "0".repeat(pad) + s;
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < s.length(); i += 3) {
        if (i > 0) {
          out.append('/');
        }
        if (i + 3 < s.length()) {
          out.append('x');
        }
        out.append(s, i, i + 3);
      }
      return out.toString();
    }

    /** Parses a canonical tile path; null for anything else. */
    public static TilePath parse(String path) {
      if (!path.startsWith(TILES)) {
        return null;
      }
      String rest = path.substring(TILES.length());
      int slash = rest.indexOf('/');
      if (slash <= 0) {
        return null;
      }
      String head = rest.substring(0, slash);
      String tail = rest.substring(slash + 1);
      boolean entries = head.equals("entries");
      int level = 0;
      if (!entries) {
        if (head.length() != 1 || head.charAt(0) < '0' || head.charAt(0) > '7') {
          return null;
        }
        level = head.charAt(0) - '0';
      }
      int width = TransparencyLog.TILE_WIDTH;
      int p = tail.indexOf(".p/");
      String n = tail;
      if (p >= 0) {
        String w = tail.substring(p + 3);
        n = tail.substring(0, p);
        if (w.isEmpty() || w.length() > 3 || !w.chars().allMatch(c -> c >= '0' && c <= '9') || w.charAt(0) == '0') {
          return null;
        }
        width = Integer.parseInt(w);
        if (width >= TransparencyLog.TILE_WIDTH) {
          return null;
        }
      }
      long index = 0;
      String[] groups = n.split("/", -1);
      if (groups.length > 7) {
        return null;
      }
      for (int i = 0; i < groups.length; i++) {
        String g = groups[i];
        boolean last = i == groups.length - 1;
        if (g.length() != (last ? 3 : 4) || (!last && g.charAt(0) != 'x')) {
          return null;
        }
        String digits = last ? g : g.substring(1);
        if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
          return null;
        }
        index = index * 1000 + Integer.parseInt(digits);
      }
      TilePath t = new TilePath(entries, level, index, width);
      return t.path().equals(path) ? t : null;
    }
  }
}
