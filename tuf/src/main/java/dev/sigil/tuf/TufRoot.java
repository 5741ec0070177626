package dev.sigil.tuf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.tuf.internal.Text;
import java.io.IOException;

/**
 * TUF root metadata ({@code root.json}) to trust for a mirror the first time a cache meets it: the trust anchor of a
 * private TUF repository. Checked for shape only here (JSON, {@code signed._type == "root"}, a {@code signatures}
 * array, a positive {@code signed.version}); the TUF client checks its signatures, expiry and every later root.
 * Immutable.
 */
public final class TufRoot {
  /** A TUF root is a few KiB; anything larger than this is refused before parsing. */
  public static final int MAX_BYTES = 1024 * 1024;

  private final byte[] json;
  private final int version;

  private TufRoot(byte[] json, int version) {
    this.json = json;
    this.version = version;
  }

  /**
   * Checks that {@code json} looks like TUF root metadata.
   *
   * @throws TrustException {@link TrustException.Reason#TUF_ROOT_INVALID}, with a message saying what was expected
   *     and found (without naming where the bytes came from: callers prefix that)
   */
  public static TufRoot parse(byte[] json) throws TrustException {
    if (json.length > MAX_BYTES) {
      throw invalid("expected at most " + MAX_BYTES + " bytes, found " + json.length);
    }
    JsonNode tree;
    try {
      tree = new ObjectMapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw invalid("expected JSON, found " + Text.oneLine(String.valueOf(e.getOriginalMessage())));
    } catch (IOException e) {
      throw invalid("expected JSON, found " + Text.oneLine(String.valueOf(e.getMessage())));
    }
    if (tree == null
        || !tree.path("signed").path("_type").asText().equals("root")
        || !tree.path("signatures").isArray()) {
      throw invalid("expected TUF root metadata ({\"signed\": {\"_type\": \"root\", ...}, \"signatures\": [...]}),"
          + " found other JSON");
    }
    JsonNode version = tree.path("signed").path("version");
    if (!version.canConvertToInt() || !version.isIntegralNumber() || version.intValue() < 1) {
      throw invalid("expected a positive integer at signed.version of the TUF root, found "
          + (version.isMissingNode() ? "none" : version.toString()));
    }
    return new TufRoot(json.clone(), version.intValue());
  }

  /** The metadata as given. */
  public byte[] json() {
    return json.clone();
  }

  /** {@code signed.version}. */
  public int version() {
    return version;
  }

  private static TrustException invalid(String message) {
    return new TrustException(TrustException.Reason.TUF_ROOT_INVALID, message);
  }
}
