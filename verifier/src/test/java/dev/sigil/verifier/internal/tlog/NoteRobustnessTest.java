package dev.sigil.verifier.internal.tlog;

import dev.sigil.verifier.internal.Outcome;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds thousands of random and mutated notes to the note and checkpoint parsers and verifiers, and checks that the
 * only failure that comes out is a {@link Outcome.Failed} with a reason: no exception escapes. Deterministic (fixed
 * seeds), so a failure reproduces.
 */
class NoteRobustnessTest {
  private static final String[] PIECES = {
    "\u2014 ", "\u2014", "\n", "\n\n", " ", "+", "=", "==", "A", "/", "\r", "\t", "\0", "\uD800", "\u00a0", "é",
    "rekor.sigstore.dev", "log2025-alpha1.rekor.sigstage.dev", " - 123", "736", "0", "01", "-1",
    "99999999999999999999", "8w1amdbj", "wNI9ajBEAiA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "Timestamp: 1"
  };

  private final List<NoteVerifier> verifiers;
  private final List<String> seeds;

  NoteRobustnessTest() throws Exception {
    verifiers =
        List.of(
            NoteVerifier.forRekorV1(Fixtures.REKOR_V1_NAME, Fixtures.rekorV1Key()),
            NoteVerifier.forRekorV2(Fixtures.REKOR_V1_NAME, Fixtures.rekorV1Key()),
            NoteVerifier.forRekorV2(Fixtures.REKOR_V2_ALPHA1_NAME, Fixtures.rekorV2Alpha1Key()));
    seeds =
        List.of(
            Fixtures.entry("happy-path-v0.2").checkpoint(),
            Fixtures.entry("happy-path-v0.3").checkpoint(),
            Fixtures.entry("rekor2-happy-path").checkpoint(),
            Fixtures.entry("rekor2-checkpoint-cosigned").checkpoint(),
            SignedNoteTest.SPEC_NOTE);
  }

  @Test
  void mutatedNotesOnlyFailWithAReason() {
    Random rnd = new Random(0xc0d23d6aL);
    int verified = 0;
    for (int i = 0; i < 1500; i++) {
      String seed = seeds.get(rnd.nextInt(seeds.size()));
      String note = mutate(seed, rnd);
      verified += exercise(note, rnd.nextInt());
      exerciseBytes(note.getBytes(StandardCharsets.UTF_8), rnd);
    }
    // A few mutations are harmless (a repeated signature line); most break the note.
    assertTrue(verified < 750, "too many mutated notes verified: " + verified);
  }

  @Test
  void randomNotesOnlyFailWithAReason() {
    Random rnd = new Random(736);
    for (int i = 0; i < 2000; i++) {
      StringBuilder b = new StringBuilder();
      int n = rnd.nextInt(24);
      for (int j = 0; j < n; j++) {
        b.append(PIECES[rnd.nextInt(PIECES.length)]);
      }
      exercise(b.toString(), rnd.nextInt());
      byte[] raw = new byte[rnd.nextInt(80)];
      rnd.nextBytes(raw);
      exerciseBytes(raw, rnd);
    }
  }

  @Test
  void randomCheckpointTextsOnlyFailWithAReason() {
    Random rnd = new Random(9162);
    for (int i = 0; i < 3000; i++) {
      StringBuilder b = new StringBuilder();
      int lines = rnd.nextInt(6);
      for (int j = 0; j < lines; j++) {
        int n = rnd.nextInt(4);
        for (int k = 0; k < n; k++) {
          b.append(PIECES[rnd.nextInt(PIECES.length)]);
        }
        b.append('\n');
      }
      Outcome<Checkpoint> c = Checkpoint.parse(b.toString());
      checkReason(c);
      if (c.isOk()) {
        assertTrue(Checkpoint.parse(c.value().toNoteText()).isOk());
      }
    }
  }

  /**
   * Parses one note and verifies it with one of the verifiers (chosen by {@code pick}, to keep the run fast: signature
   * checks dominate); returns 1 if that verifier accepted it as a checkpoint.
   */
  private int exercise(String note, int pick) {
    Outcome<SignedNote> parsed;
    try {
      parsed = SignedNote.parse(note);
    } catch (RuntimeException e) {
      throw new AssertionError("SignedNote.parse threw " + e + " for " + escape(note), e);
    }
    checkReason(parsed);
    NoteVerifier v = verifiers.get(Math.floorMod(pick, verifiers.size()));
    try {
      Outcome<Checkpoint> c = v.verifyCheckpoint(note);
      checkReason(c);
      if (parsed.isOk()) {
        checkReason(Checkpoint.parse(parsed.value().text()));
        // Round trip: a parsed note serializes back to an equal note.
        assertTrue(parsed.value().equals(SignedNote.parse(parsed.value().toText()).value()));
        if (c.isOk()) {
          assertTrue(v.verify(parsed.value()).isOk());
        }
      }
      return c.isOk() ? 1 : 0;
    } catch (RuntimeException e) {
      throw new AssertionError(v + " threw " + e + " for " + escape(note), e);
    }
  }

  private static void exerciseBytes(byte[] bytes, Random rnd) {
    byte[] b = bytes.clone();
    if (b.length > 0) {
      b[rnd.nextInt(b.length)] = (byte) (0x80 | rnd.nextInt(0x80));
    }
    try {
      checkReason(SignedNote.parse(b));
    } catch (RuntimeException e) {
      throw new AssertionError("SignedNote.parse(byte[]) threw " + e + " for " + Base64.getEncoder().encodeToString(b), e);
    }
  }

  private static void checkReason(Outcome<?> r) {
    if (!r.isOk()) {
      assertTrue(r.detail() != null && !r.detail().isBlank(), "failure without a reason");
    }
  }

  private static String mutate(String seed, Random rnd) {
    switch (rnd.nextInt(7)) {
      case 0 -> {
        StringBuilder b = new StringBuilder(seed);
        int at = rnd.nextInt(b.length());
        b.setCharAt(at, (char) (b.charAt(at) ^ (1 << rnd.nextInt(7))));
        return b.toString();
      }
      case 1 -> {
        int at = rnd.nextInt(seed.length());
        return seed.substring(0, at) + PIECES[rnd.nextInt(PIECES.length)] + seed.substring(at);
      }
      case 2 -> {
        int at = rnd.nextInt(seed.length());
        int len = Math.min(seed.length() - at, 1 + rnd.nextInt(10));
        return seed.substring(0, at) + seed.substring(at + len);
      }
      case 3 -> {
        return seed.substring(0, rnd.nextInt(seed.length() + 1));
      }
      case 4 -> {
        List<String> lines = new ArrayList<>(List.of(seed.split("\n", -1)));
        int i = rnd.nextInt(lines.size());
        int j = rnd.nextInt(lines.size());
        String t = lines.get(i);
        lines.set(i, lines.get(j));
        lines.set(j, t);
        return String.join("\n", lines);
      }
      case 5 -> {
        // Re-encode a signature line with a changed key ID or truncated signature.
        int dash = seed.lastIndexOf('\u2014');
        int space = seed.indexOf(' ', dash + 2);
        int end = seed.indexOf('\n', space);
        if (dash < 0 || space < 0 || end < 0) {
          return seed;
        }
        byte[] blob = Base64.getDecoder().decode(seed.substring(space + 1, end));
        byte[] changed =
            rnd.nextBoolean()
                ? java.util.Arrays.copyOf(blob, rnd.nextInt(blob.length + 1))
                : flipByte(blob, rnd.nextInt(Math.min(4, blob.length)));
        return seed.substring(0, space + 1) + Base64.getEncoder().encodeToString(changed) + seed.substring(end);
      }
      default -> {
        return seed + seed.substring(seed.lastIndexOf("\n\n") + 2);
      }
    }
  }

  private static byte[] flipByte(byte[] b, int i) {
    byte[] c = b.clone();
    c[i] ^= (byte) 0x55;
    return c;
  }

  private static String escape(String s) {
    return s.replace("\n", "\\n").replace("\r", "\\r");
  }
}
