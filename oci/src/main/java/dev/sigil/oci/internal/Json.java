package dev.sigil.oci.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON codec of this module (internal: not API). Reading is strict: duplicate keys are refused, nesting is
 * capped at 64 and numbers and strings are length-capped, so hostile manifests cost bounded CPU and memory (the byte
 * size is bounded by the callers before parsing). Writing goes through a generator so field order is the caller's.
 */
public final class Json {
  private Json() {}

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(64).maxStringLength(8 << 20).build())
          .build();

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(FACTORY)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /** Thrown for bytes that are not one well-formed JSON value. */
  public static final class MalformedJsonException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedJsonException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Parses one JSON value; the message of the exception says where it broke, without echoing the input. */
  public static JsonNode parse(byte[] bytes) throws MalformedJsonException {
    try (JsonParser p = FACTORY.createParser(bytes)) {
      JsonNode n = MAPPER.readTree(p);
      if (n == null) {
        throw new MalformedJsonException("empty JSON document", null);
      }
      if (p.nextToken() != null) {
        throw new MalformedJsonException("trailing content after the JSON value", null);
      }
      return n;
    } catch (IOException e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      int nl = m.indexOf('\n');
      throw new MalformedJsonException("malformed JSON: " + (nl > 0 ? m.substring(0, nl) : m), e);
    }
  }

  /** Writes a JSON document with a generator; compact, UTF-8, no trailing newline. */
  public static byte[] write(Writer body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory", e);
    }
    return out.toByteArray();
  }

  /** Serialises a tree (for documents read, edited and written back, keeping their unknown fields). */
  public static byte[] write(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory", e);
    }
  }

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** The body of a document written by {@link #write(Writer)}. */
  @FunctionalInterface
  public interface Writer {
    void write(JsonGenerator g) throws IOException;
  }
}
