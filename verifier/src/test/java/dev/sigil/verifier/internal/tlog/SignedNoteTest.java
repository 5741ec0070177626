package dev.sigil.verifier.internal.tlog;

import static dev.sigil.verifier.internal.tlog.Fixtures.failure;
import static dev.sigil.verifier.internal.tlog.Fixtures.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignedNoteTest {
  /** The example note of c2sp.org/signed-note ("Verifier keys" section). */
  static final String SPEC_NOTE =
      "This is an example message.\n\n"
          + "\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

  private static final String SIG = "\u2014 example.com/foo " + Base64.getEncoder().encodeToString(new byte[12]) + "\n";

  @Test
  void parsesTheSpecExample() {
    SignedNote n = ok(SignedNote.parse(SPEC_NOTE));
    assertEquals("This is an example message.\n", n.text());
    assertEquals(1, n.signatures().size());
    NoteSignature s = n.signatures().get(0);
    assertEquals("example.com/foo", s.name());
    assertEquals(0x530d903a, s.keyId());
    assertEquals("530d903a", s.keyIdHex());
    assertEquals(64, s.signature().length);
    assertEquals(SPEC_NOTE, n.toText());
    assertArrayEquals("This is an example message.\n".getBytes(StandardCharsets.UTF_8), n.signedBytes());
    assertEquals(n, ok(SignedNote.parse(SPEC_NOTE.getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void parsesRealCheckpointsWithCosignatures() {
    SignedNote v1 = ok(SignedNote.parse(Fixtures.entry("happy-path-v0.2").checkpoint()));
    assertEquals(1, v1.signatures().size());
    assertEquals("rekor.sigstore.dev", v1.signatures().get(0).name());
    assertEquals("c0d23d6a", v1.signatures().get(0).keyIdHex());
    assertTrue(v1.text().endsWith("Timestamp: 1689177396617352539\n"), v1.text());

    SignedNote cosigned = ok(SignedNote.parse(Fixtures.entry("rekor2-checkpoint-cosigned").checkpoint()));
    assertEquals(2, cosigned.signatures().size());
    assertEquals("log2025-alpha1.rekor.sigstage.dev", cosigned.signatures().get(0).name());
    assertEquals(64, cosigned.signatures().get(0).signature().length);
    assertEquals("witness.example", cosigned.signatures().get(1).name());
    // A timestamped cosignature: 8-byte timestamp then a 64-byte Ed25519 signature.
    assertEquals(72, cosigned.signatures().get(1).signature().length);
    assertEquals(Fixtures.entry("rekor2-checkpoint-cosigned").checkpoint(), cosigned.toText());
  }

  @Test
  void textIsSplitAtTheLastBlankLine() {
    SignedNote n = ok(SignedNote.parse("a\n\nb\n\n" + SIG));
    assertEquals("a\n\nb\n", n.text());
    SignedNote empty = ok(SignedNote.parse("\n\n" + SIG));
    assertEquals("\n", empty.text());
    // A blank line inside the signature block makes the lines before it part of the text.
    SignedNote shifted = ok(SignedNote.parse("a\n\n" + SIG + "\n" + SIG));
    assertEquals("a\n\n" + SIG, shifted.text());
    assertEquals(1, shifted.signatures().size());
  }

  @Test
  void rejectsMalformedNotes() {
    assertEquals("signed note: missing (null)", failure(SignedNote.parse((String) null)));
    assertEquals("signed note: missing (null)", failure(SignedNote.parse((byte[]) null)));
    assertEquals(
        "signed note: expected text, a blank line, then signature lines; found no blank line",
        failure(SignedNote.parse("text\n" + SIG)));
    assertEquals(
        "signed note: expected at least one signature line after the blank line, found none",
        failure(SignedNote.parse("text\n\n")));
    assertEquals(
        "signed note: expected the last signature line to end with a newline, found none",
        failure(SignedNote.parse("text\n\n" + SIG.strip())));
    assertEquals(
        "signed note: expected no ASCII control characters other than newline, found U+000D at offset 4",
        failure(SignedNote.parse("text\r\n\n" + SIG)));
    assertEquals(
        "signed note: expected no ASCII control characters other than newline, found U+0009 at offset 1",
        failure(SignedNote.parse("a\tb\n\n" + SIG)));
    assertEquals(
        "signed note: expected no ASCII control characters other than newline, found U+0000 at offset 0",
        failure(SignedNote.parse("\0\n\n" + SIG)));
    assertEquals(
        "signed note: expected valid UTF-8 text, found an unpaired surrogate at offset 1",
        failure(SignedNote.parse("a\uD800\n\n" + SIG)));
    assertEquals(
        "signed note: expected valid UTF-8 text, found an unpaired surrogate at offset 1",
        failure(SignedNote.parse("a\uDC00\n\n" + SIG)));
    assertEquals(
        "signed note: expected valid UTF-8, found malformed bytes",
        failure(SignedNote.parse(new byte[] {'a', (byte) 0xc3, '\n', '\n'})));
    String huge = "x".repeat(SignedNote.MAX_NOTE_LENGTH) + "\n\n" + SIG;
    assertTrue(failure(SignedNote.parse(huge)).startsWith("signed note: expected at most 1048576 characters"));
    assertTrue(
        failure(SignedNote.parse(new byte[SignedNote.MAX_NOTE_LENGTH * 3 + 1]))
            .startsWith("signed note: expected at most 3145728 bytes"));
  }

  @Test
  void rejectsMalformedSignatureLines() {
    String b64 = Base64.getEncoder().encodeToString(new byte[12]);
    assertEquals(
        "signature line 1: expected an em dash (U+2014) and a space, found \"-- a " + b64 + "\"",
        failure(SignedNote.parse("t\n\n-- a " + b64 + "\n")));
    assertEquals(
        "signature line 2: expected an em dash (U+2014) and a space, found \"\u2014a " + b64 + "\"",
        failure(SignedNote.parse("t\n\n" + SIG + "\u2014a " + b64 + "\n")));
    assertEquals(
        "signature line 1: expected an em dash (U+2014) and a space, found \"\u2013 a " + b64 + "\"",
        failure(SignedNote.parse("t\n\n\u2013 a " + b64 + "\n")));
    assertEquals(
        "signature line 1: expected a key name, a space and a base64 signature, found \"\u2014 name\"",
        failure(SignedNote.parse("t\n\n\u2014 name\n")));
    assertEquals(
        "signature line 1: expected a key name without spaces or '+', found \"a+b\"",
        failure(SignedNote.parse("t\n\n\u2014 a+b " + b64 + "\n")));
    assertEquals(
        "signature line 1: expected a key name without spaces or '+', found \"\"",
        failure(SignedNote.parse("t\n\n\u2014  " + b64 + "\n")));
    assertEquals(
        "signature line 1: expected a key name without spaces or '+', found \"a\u00a0b\"",
        failure(SignedNote.parse("t\n\n\u2014 a\u00a0b " + b64 + "\n")));
    assertEquals(
        "signature line 1: expected standard padded base64 after the key name, found \"" + b64 + " extra\"",
        failure(SignedNote.parse("t\n\n\u2014 a " + b64 + " extra\n")));
    assertEquals(
        "signature line 1: expected standard padded base64 after the key name, found \"\"",
        failure(SignedNote.parse("t\n\n\u2014 a \n")));
    assertEquals(
        "signature line 1: expected standard padded base64 after the key name, found \"AAAAAAA\"",
        failure(SignedNote.parse("t\n\n\u2014 a AAAAAAA\n")));
    assertEquals(
        "signature line 1: expected standard padded base64 after the key name, found \"AAAA_-AA\"",
        failure(SignedNote.parse("t\n\n\u2014 a AAAA_-AA\n")));
    assertEquals(
        "signature line 1: expected standard padded base64 after the key name, found \"AA=A\"",
        failure(SignedNote.parse("t\n\n\u2014 a AA=A\n")));
    assertEquals(
        "signature line 1: expected standard padded base64 after the key name, found \"A===\"",
        failure(SignedNote.parse("t\n\n\u2014 a A===\n")));
    assertEquals(
        "signature line 1: expected a 4-byte key ID and a signature (at least 5 bytes), found 4 bytes",
        failure(SignedNote.parse("t\n\n\u2014 a AAAAAA==\n")));
  }

  @Test
  void limitsTheNumberOfSignatures() {
    String hundred = SIG.repeat(SignedNote.MAX_SIGNATURES);
    assertEquals(100, ok(SignedNote.parse("t\n\n" + hundred)).signatures().size());
    assertEquals(
        "signed note: expected at most 100 signature lines, found more",
        failure(SignedNote.parse("t\n\n" + hundred + SIG)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"rekor.sigstore.dev", "localhost:8000", "example.com/foo", "é", "a/b-c_d.e"})
  void acceptsKeyNames(String name) {
    assertTrue(SignedNote.isValidKeyName(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a b", "a+b", "a\u00a0b", "a\u2003b", "a\u3000b", "a\u0085b", "a\u2028b", "a\tb", "\uD800"})
  void refusesKeyNames(String name) {
    assertFalse(SignedNote.isValidKeyName(name));
  }

  @Test
  void valuesValidateAndCopy() {
    byte[] sig = {1, 2, 3};
    NoteSignature s = new NoteSignature("a", 7, sig);
    sig[0] = 9;
    assertEquals(1, s.signature()[0]);
    s.signature()[1] = 9;
    assertEquals(2, s.signature()[1]);
    assertEquals(s, new NoteSignature("a", 7, new byte[] {1, 2, 3}));
    assertEquals(s.hashCode(), new NoteSignature("a", 7, new byte[] {1, 2, 3}).hashCode());
    assertNotEquals(s, new NoteSignature("a", 8, new byte[] {1, 2, 3}));
    assertEquals("\u2014 a AAAABwECAw==", s.line());
    assertTrue(s.toString().contains("a+00000007"));
    assertThrows(IllegalArgumentException.class, () -> new NoteSignature("a b", 1, new byte[1]));
    assertThrows(IllegalArgumentException.class, () -> new NoteSignature("a", 1, new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> new SignedNote("no newline", List.of(s)));
    assertThrows(IllegalArgumentException.class, () -> new SignedNote("", List.of(s)));
    assertThrows(IllegalArgumentException.class, () -> new SignedNote("t\n", List.of()));
    assertThrows(IllegalArgumentException.class, () -> new SignedNote("t\r\n", List.of(s)));
    List<NoteSignature> many = new ArrayList<>();
    for (int i = 0; i <= SignedNote.MAX_SIGNATURES; i++) {
      many.add(s);
    }
    assertThrows(IllegalArgumentException.class, () -> new SignedNote("t\n", many));
    SignedNote n = new SignedNote("t\n", List.of(s)).withSignature(new NoteSignature("b", 1, new byte[] {5}));
    assertEquals(2, n.signatures().size());
    assertEquals(n, ok(SignedNote.parse(n.toText())));
  }
}
