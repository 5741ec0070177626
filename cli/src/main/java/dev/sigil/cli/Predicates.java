package dev.sigil.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.attestations.AttestationException;
import dev.sigil.attestations.PredicateTypes;
import dev.sigil.attestations.Statement;
import dev.sigil.attestations.StrictJson;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

/** {@code --predicate F --type T} as {@code attest} and {@code attest-blob} read them, with cosign's meaning. */
final class Predicates {
  private Predicates() {}

  /** A predicate type URI and the predicate object to put in a statement. */
  record Predicate(String type, ObjectNode json) {}

  /**
   * Resolves {@code type} (cosign's short names or an absolute URI) and reads the file: a JSON object (parsed strictly:
   * UTF-8, no duplicate keys), or for {@code custom} any text, wrapped as cosign wraps it ({@code Data}, {@code
   * Timestamp}). Errors are exit 2 naming the flag or file.
   */
  static Predicate read(Path file, String type, Instant now) throws CliException {
    String uri;
    try {
      uri = PredicateTypes.resolve(type);
    } catch (AttestationException e) {
      throw CliException.badInput("--type: " + e.getMessage());
    }
    byte[] raw = InputFiles.readSmall(file, "predicate", Statement.MAX_PAYLOAD_BYTES);
    if ("custom".equals(type)) {
      String text;
      try {
        text = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(java.nio.ByteBuffer.wrap(raw))
            .toString();
      } catch (CharacterCodingException e) {
        throw CliException.badInput("predicate " + file + ": expected UTF-8 text, found invalid bytes");
      }
      return new Predicate(uri, PredicateTypes.cosignCustomPredicate(text, now));
    }
    try {
      return new Predicate(uri, StrictJson.parseObject(raw, Statement.MAX_PAYLOAD_BYTES));
    } catch (AttestationException e) {
      throw CliException.badInput("predicate " + file + " (a JSON object for --type " + type + "): " + e.getMessage());
    }
  }
}
