package dev.sigil.verifier.trust;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds thousands of random and mutated documents to {@link TrustedRoot#parse(byte[])} and checks that the only
 * failure that comes out is the documented {@link TrustedRootException}: no RuntimeException (or Error) escapes.
 * Deterministic (fixed seeds), so a failure reproduces.
 */
class TrustedRootRobustnessTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String[] TOKENS = {
    "{", "}", "[", "]", ",", ":", "\"", "null", "true", "-1", "1e999", "0", "\"\"", "\"AAAA\"", "\\u0000", "\n", " ",
    "\"2021-01-12T11:53:27Z\"", "\"mediaType\"", "\"tlogs\"", "\"rawBytes\"", "\"keyDetails\"", "\"PKIX_ED25519\""
  };

  /**
   * The public-good root cut down to one instance of each kind (an ECDSA and an Ed25519 log, a CT log, a one-certificate
   * CA, a two-certificate TSA), so that each parse is cheap and mutations hit every kind of field often.
   */
  private static JsonNode seed() {
    try {
      ObjectNode root = (ObjectNode) TrustFixtures.JSON.readTree(TrustFixtures.bytes(TrustFixtures.PUBLIC_GOOD));
      ((ArrayNode) root.get("ctlogs")).remove(0);
      ((ArrayNode) root.get("certificateAuthorities")).remove(1);
      return root;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void byteLevelMutationsOnlyFailWithTrustedRootException() throws Exception {
    byte[] seed = TrustFixtures.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(seed());
    assertTrue(parse(seed));
    Random rnd = new Random(0x5161L);
    int parsed = 0;
    for (int i = 0; i < 700; i++) {
      byte[] doc = mutateBytes(seed, rnd);
      if (parse(doc)) {
        parsed++;
      }
    }
    // Some mutations land in ignorable places (whitespace, base64 padding); most must be caught.
    assertTrue(parsed < 500, "too many mutations parsed: " + parsed);
  }

  @Test
  void structuralMutationsOnlyFailWithTrustedRootException() throws Exception {
    JsonNode seed = seed();
    Random rnd = new Random(0x7e57L);
    int failures = 0;
    for (int i = 0; i < 600; i++) {
      JsonNode doc = seed.deepCopy();
      int edits = 1 + rnd.nextInt(3);
      for (int e = 0; e < edits; e++) {
        mutateTree(doc, rnd);
      }
      if (!parse(TrustFixtures.JSON.writeValueAsBytes(doc))) {
        failures++;
      }
    }
    assertTrue(failures > 300, "too few structural mutations were rejected: " + failures);
  }

  @Test
  void randomDocumentsOnlyFailWithTrustedRootException() {
    Random rnd = new Random(42);
    for (int i = 0; i < 1500; i++) {
      StringBuilder b = new StringBuilder();
      int n = rnd.nextInt(40);
      for (int j = 0; j < n; j++) {
        b.append(TOKENS[rnd.nextInt(TOKENS.length)]);
      }
      parse(b.toString().getBytes(StandardCharsets.UTF_8));
      byte[] raw = new byte[rnd.nextInt(64)];
      rnd.nextBytes(raw);
      parse(raw);
    }
  }

  /** True if it parsed; false if it failed with TrustedRootException; fails the test on anything else. */
  private static boolean parse(byte[] doc) {
    try {
      TrustedRoot.parse(doc);
      return true;
    } catch (TrustedRootException e) {
      if (e.getMessage() == null || e.getMessage().isBlank()) {
        fail("TrustedRootException without a message");
      }
      return false;
    } catch (RuntimeException | Error e) {
      throw new AssertionError(
          "TrustedRoot.parse threw " + e + " for input: " + new String(doc, StandardCharsets.UTF_8), e);
    }
  }

  private static byte[] mutateBytes(byte[] seed, Random rnd) {
    byte[] b = seed.clone();
    switch (rnd.nextInt(5)) {
      case 0 -> {
        int flips = 1 + rnd.nextInt(4);
        for (int k = 0; k < flips; k++) {
          b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
        }
        return b;
      }
      case 1 -> {
        int at = rnd.nextInt(b.length);
        int len = Math.min(b.length - at, 1 + rnd.nextInt(40));
        byte[] out = new byte[b.length - len];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + len, out, at, b.length - at - len);
        return out;
      }
      case 2 -> {
        String s = new String(b, StandardCharsets.UTF_8);
        int at = rnd.nextInt(s.length());
        return (s.substring(0, at) + TOKENS[rnd.nextInt(TOKENS.length)] + s.substring(at))
            .getBytes(StandardCharsets.UTF_8);
      }
      case 3 -> {
        return java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
      }
      default -> {
        // Replace a base64 character inside a value: keys and certificates must fail cleanly.
        for (int tries = 0; tries < 20; tries++) {
          int at = rnd.nextInt(b.length);
          if (Character.isLetterOrDigit(b[at])) {
            b[at] = (byte) "AZaz09+/=-_".charAt(rnd.nextInt(11));
            break;
          }
        }
        return b;
      }
    }
  }

  private static void mutateTree(JsonNode root, Random rnd) {
    List<JsonNode> containers = new ArrayList<>();
    collect(root, containers);
    JsonNode target = containers.get(rnd.nextInt(containers.size()));
    if (target instanceof ObjectNode o && o.size() > 0) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      String name = names.get(rnd.nextInt(names.size()));
      switch (rnd.nextInt(4)) {
        case 0 -> o.remove(name);
        case 1 -> o.set(name, randomValue(rnd, o.get(name)));
        case 2 -> o.set(name, F.nullNode());
        default -> o.set(snake(name), o.get(name));
      }
    } else if (target instanceof ArrayNode a && a.size() > 0) {
      int i = rnd.nextInt(a.size());
      switch (rnd.nextInt(3)) {
        case 0 -> a.remove(i);
        case 1 -> a.set(i, randomValue(rnd, a.get(i)));
        default -> a.add(a.get(i).deepCopy());
      }
    }
  }

  private static JsonNode randomValue(Random rnd, JsonNode old) {
    return switch (rnd.nextInt(9)) {
      case 0 -> F.numberNode(rnd.nextInt(30) - 5);
      case 1 -> F.textNode("");
      case 2 -> F.textNode("AAAA");
      case 3 -> F.booleanNode(rnd.nextBoolean());
      case 4 -> F.arrayNode().add(old == null ? F.nullNode() : old.deepCopy());
      case 5 -> F.objectNode();
      case 6 -> F.textNode("2021-01-12T11:53:27Z");
      case 7 -> F.textNode(old != null && old.isTextual() ? old.textValue() + "x" : "PKIX_ED25519");
      default -> F.numberNode(Long.MAX_VALUE);
    };
  }

  private static void collect(JsonNode n, List<JsonNode> out) {
    if (n.isContainerNode()) {
      out.add(n);
      Iterator<JsonNode> it = n.elements();
      while (it.hasNext()) {
        collect(it.next(), out);
      }
    }
  }

  private static String snake(String camel) {
    return camel.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
  }
}
