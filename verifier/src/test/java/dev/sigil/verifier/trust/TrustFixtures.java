package dev.sigil.verifier.trust;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/** Trusted-root test documents and JSON surgery on them. */
final class TrustFixtures {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String PUBLIC_GOOD = "/trust/public-good-trusted_root.json";

  private TrustFixtures() {}

  static byte[] bytes(String resource) {
    try (InputStream in = TrustFixtures.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("missing test resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The public-good root after {@code edit}, serialized. */
  static byte[] publicGoodWith(Consumer<ObjectNode> edit) {
    try {
      ObjectNode root = (ObjectNode) JSON.readTree(bytes(PUBLIC_GOOD));
      edit.accept(root);
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode tlog(ObjectNode root, int i) {
    return (ObjectNode) root.get("tlogs").get(i);
  }

  static ObjectNode publicKey(ObjectNode root, int tlog) {
    return (ObjectNode) tlog(root, tlog).get("publicKey");
  }

  static ObjectNode ca(ObjectNode root, int i) {
    return (ObjectNode) root.get("certificateAuthorities").get(i);
  }
}
