package dev.sigil.verifier.internal.tlog;

import static dev.sigil.verifier.internal.tlog.Fixtures.failure;
import static dev.sigil.verifier.internal.tlog.Fixtures.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointTest {
  private static final String ROOT = Base64.getEncoder().encodeToString(new byte[32]);

  @Test
  void parsesRekorV1CheckpointWithTimestampLine() {
    Fixtures.Entry e = Fixtures.entry("happy-path-v0.2");
    SignedNote note = ok(SignedNote.parse(e.checkpoint()));
    Checkpoint c = ok(Checkpoint.parse(note.text()));
    assertEquals("rekor.sigstore.dev - 2605736670972794746", c.origin());
    assertEquals(e.treeSize(), c.size());
    assertArrayEquals(e.rootHash(), c.rootHash());
    assertEquals(List.of("Timestamp: 1689177396617352539"), c.otherContent());
    assertTrue(c.hasRekorV1Origin());
    assertEquals(note.text(), c.toNoteText());
  }

  @Test
  void parsesRekorV2Checkpoint() {
    Fixtures.Entry e = Fixtures.entry("rekor2-happy-path");
    Checkpoint c = ok(Checkpoint.parse(ok(SignedNote.parse(e.checkpoint())).text()));
    assertEquals("log2025-alpha1.rekor.sigstage.dev", c.origin());
    assertEquals(736, c.size());
    assertArrayEquals(e.rootHash(), c.rootHash());
    assertEquals(List.of(), c.otherContent());
    assertFalse(c.hasRekorV1Origin());
  }

  @Test
  void acceptsTheEmptyTreeAndTheLargestSize() {
    assertEquals(0, ok(Checkpoint.parse("o\n0\n" + ROOT + "\n")).size());
    assertEquals(Long.MAX_VALUE, ok(Checkpoint.parse("o\n9223372036854775807\n" + ROOT + "\n")).size());
  }

  @Test
  void rejectsMalformedCheckpoints() {
    assertEquals("checkpoint: missing (null)", failure(Checkpoint.parse(null)));
    assertEquals("checkpoint: expected text ending in a newline, found none", failure(Checkpoint.parse("o\n1\n" + ROOT)));
    assertEquals("checkpoint: expected text ending in a newline, found none", failure(Checkpoint.parse("")));
    assertEquals(
        "checkpoint: expected at least 3 lines (origin, tree size, root hash), found 2",
        failure(Checkpoint.parse("o\n" + ROOT + "\n")));
    assertEquals(
        "checkpoint origin (line 1): expected a non-empty origin, found an empty line",
        failure(Checkpoint.parse("\n1\n" + ROOT + "\n")));
    assertEquals(
        "checkpoint tree size (line 2): expected at most 9223372036854775807, found 9223372036854775808",
        failure(Checkpoint.parse("o\n9223372036854775808\n" + ROOT + "\n")));
    assertEquals(
        "checkpoint root hash (line 3): expected standard padded base64, found \"not base64!\"",
        failure(Checkpoint.parse("o\n1\nnot base64!\n")));
    assertEquals(
        "checkpoint root hash (line 3): expected standard padded base64, found \"\"",
        failure(Checkpoint.parse("o\n1\n\n")));
    assertEquals(
        "checkpoint root hash (line 3): expected standard padded base64, found \"" + ROOT.replace("=", "") + "\"",
        failure(Checkpoint.parse("o\n1\n" + ROOT.replace("=", "") + "\n")));
    assertEquals(
        "checkpoint root hash (line 3): expected 32 bytes (SHA-256), found 31",
        failure(Checkpoint.parse("o\n1\n" + Base64.getEncoder().encodeToString(new byte[31]) + "\n")));
    assertEquals(
        "checkpoint extension line (line 5): expected a non-empty line, found an empty one",
        failure(Checkpoint.parse("o\n1\n" + ROOT + "\next\n\n")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "01", "00", "+1", "-1", "1a", " 1", "1 ", "0x10", "1_000", "١"})
  void rejectsMalformedSizes(String size) {
    String reason = failure(Checkpoint.parse("o\n" + size + "\n" + ROOT + "\n"));
    assertTrue(
        reason.startsWith("checkpoint tree size (line 2): expected a decimal number without sign or leading zeros"),
        reason);
  }

  @Test
  void valuesValidateAndCopy() {
    byte[] root = new byte[32];
    Checkpoint c = new Checkpoint("o", 5, root, List.of("x"));
    root[0] = 1;
    assertEquals(0, c.rootHash()[0]);
    c.rootHash()[0] = 1;
    assertEquals(0, c.rootHash()[0]);
    assertEquals(c, new Checkpoint("o", 5, new byte[32], List.of("x")));
    assertEquals(c.hashCode(), new Checkpoint("o", 5, new byte[32], List.of("x")).hashCode());
    assertNotEquals(c, new Checkpoint("o", 6, new byte[32], List.of("x")));
    assertTrue(c.toString().contains("rootHash=" + "00".repeat(32)));
    assertEquals("o\n5\n" + ROOT + "\nx\n", c.toNoteText());
    assertThrows(IllegalArgumentException.class, () -> new Checkpoint("", 1, new byte[32], List.of()));
    assertThrows(IllegalArgumentException.class, () -> new Checkpoint("a\nb", 1, new byte[32], List.of()));
    assertThrows(IllegalArgumentException.class, () -> new Checkpoint("o", -1, new byte[32], List.of()));
    assertThrows(IllegalArgumentException.class, () -> new Checkpoint("o", 1, new byte[31], List.of()));
    assertThrows(IllegalArgumentException.class, () -> new Checkpoint("o", 1, new byte[32], List.of("")));
    assertThrows(IllegalArgumentException.class, () -> new Checkpoint("o", 1, new byte[32], List.of("a\nb")));
  }

  @Test
  void recognisesRekorV1Origins() {
    assertTrue(new Checkpoint("rekor.sigstore.dev - 1193050959916656506", 1, new byte[32], List.of()).hasRekorV1Origin());
    assertTrue(new Checkpoint("localhost:8000 - 0", 1, new byte[32], List.of()).hasRekorV1Origin());
    assertFalse(new Checkpoint("log2025-1.rekor.sigstore.dev", 1, new byte[32], List.of()).hasRekorV1Origin());
    assertFalse(new Checkpoint("rekor.sigstore.dev - ", 1, new byte[32], List.of()).hasRekorV1Origin());
    assertFalse(new Checkpoint("rekor.sigstore.dev - 12a", 1, new byte[32], List.of()).hasRekorV1Origin());
  }

  /** The hand-written shape tests agree with the regular expressions they replaced, on edge cases and random text. */
  @Test
  void shapeTestsAgreeWithTheRegularExpressions() {
    Pattern decimal = Pattern.compile("0|[1-9][0-9]*");
    Pattern rekorV1 = Pattern.compile(".* - [0-9]+");
    List<String> edges =
        List.of(
            "", "0", "00", "01", "10", "9", "-1", "+1", " 1", "1 ", "\u0661", "12a", " - 1", " - ", "a - ", "a -1",
            "a- 1", "a - 1", "a - 1 ", "a - 1 - 2", "a - x - 2", "a\n - 1", "a\r - 1", "a\u2028 - 1", "a\u0085 - 1",
            "a\t - 1", "rekor.sigstore.dev - 1193050959916656506", "log2025-1.rekor.sigstore.dev", " -  - 1", "a - \u0661");
    for (String s : edges) {
      assertEquals(decimal.matcher(s).matches(), Checkpoint.isCanonicalDecimal(s), "decimal: \"" + s + "\"");
      assertEquals(rekorV1.matcher(s).matches(), Checkpoint.isRekorV1Origin(s), "origin: \"" + s + "\"");
    }
    char[] alphabet = {'0', '1', '9', ' ', '-', 'a', '\n', '\r', '\u2029', '\u0661', '+'};
    SplittableRandom random = new SplittableRandom(7);
    for (int n = 0; n < 200_000; n++) {
      char[] text = new char[random.nextInt(9)];
      for (int i = 0; i < text.length; i++) {
        text[i] = alphabet[random.nextInt(alphabet.length)];
      }
      String s = new String(text);
      assertEquals(decimal.matcher(s).matches(), Checkpoint.isCanonicalDecimal(s), "decimal: \"" + s + "\"");
      assertEquals(rekorV1.matcher(s).matches(), Checkpoint.isRekorV1Origin(s), "origin: \"" + s + "\"");
    }
  }
}
