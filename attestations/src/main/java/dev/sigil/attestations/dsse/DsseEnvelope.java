package dev.sigil.attestations.dsse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.attestations.AttestationException;
import dev.sigil.attestations.AttestationException.Reason;
import dev.sigil.attestations.Statement;
import dev.sigil.attestations.StrictJson;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A DSSE envelope (secure-systems-lab/dsse v1.0.2, {@code envelope.md} and {@code protocol.md}): a payload type, the
 * payload bytes, and one or more signatures over {@link #pae PAE(payloadType, payload)}. Immutable; byte arrays are
 * copied in and out.
 *
 * <p>This class models, parses and writes envelopes; it never verifies a signature (the verifier does). An envelope
 * may carry several signatures, each by a different key; how many must verify, and against which keys, is the
 * verifier's policy ({@code (t, n)}-envelopes, protocol.md "Multi-signature Verification"). Sigstore bundles carry
 * exactly one.
 *
 * <p>JSON, as cosign, sigstore-js and the DSSE reference implementation write it: {@code payload} and {@code sig} in
 * standard base64 with padding, {@code keyid} omitted when empty, members in the order {@code payload},
 * {@code payloadType}, {@code signatures}. Parsing accepts standard or URL-safe base64 (DSSE: verifiers MUST accept
 * either), padded or not, canonical only; requires {@code payload}, {@code payloadType} and a non-empty
 * {@code signatures} array of at most {@link #MAX_SIGNATURES} objects each with a non-empty {@code sig}; ignores unknown
 * fields (DSSE parsing rules); refuses duplicate keys and envelopes over {@link #MAX_ENVELOPE_BYTES} or payloads over
 * {@link Statement#MAX_PAYLOAD_BYTES}.
 */
public final class DsseEnvelope {
  /** The largest envelope JSON accepted (a maximal payload in base64 plus signatures). */
  public static final int MAX_ENVELOPE_BYTES = 24 * 1024 * 1024;
  /** The most signatures one envelope may carry. */
  public static final int MAX_SIGNATURES = 64;

  private final String payloadType;
  private final byte[] payload;
  private final List<DsseSignature> signatures;

  /**
   * An envelope of these parts.
   *
   * @throws IllegalArgumentException if there is no signature, more than {@link #MAX_SIGNATURES}, a payload over
   *     {@link Statement#MAX_PAYLOAD_BYTES}, or a payload type that is not valid Unicode
   */
  public DsseEnvelope(String payloadType, byte[] payload, List<DsseSignature> signatures) {
    this.payloadType = Objects.requireNonNull(payloadType, "payloadType");
    utf8(payloadType);
    this.payload = Objects.requireNonNull(payload, "payload").clone();
    if (payload.length > Statement.MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException(
          "expected a payload of at most " + Statement.MAX_PAYLOAD_BYTES + " bytes, found " + payload.length);
    }
    if (signatures.isEmpty() || signatures.size() > MAX_SIGNATURES) {
      throw new IllegalArgumentException(
          "expected 1 to " + MAX_SIGNATURES + " signatures, found " + signatures.size());
    }
    this.signatures = List.copyOf(signatures);
  }

  /**
   * Signs {@code payload} with each signer and returns the envelope with their signatures in order. The PAE is
   * computed once. Signers must be distinct keys: two signers with the same non-empty key id are refused, since an
   * envelope's signatures are meant to come from different keys (a verifier counts unique keys, not signatures).
   */
  public static DsseEnvelope sign(String payloadType, byte[] payload, List<? extends DsseSigner> signers)
      throws GeneralSecurityException {
    if (signers.isEmpty()) {
      throw new IllegalArgumentException("expected at least one signer");
    }
    Set<String> keyids = new HashSet<>();
    for (DsseSigner s : signers) {
      if (!s.keyid().isEmpty() && !keyids.add(s.keyid())) {
        throw new IllegalArgumentException("two signers share the key id " + s.keyid());
      }
    }
    byte[] pae = pae(payloadType, payload);
    List<DsseSignature> sigs = new ArrayList<>(signers.size());
    for (DsseSigner s : signers) {
      sigs.add(new DsseSignature(s.keyid(), s.sign(pae.clone())));
    }
    return new DsseEnvelope(payloadType, payload, sigs);
  }

  /**
   * The DSSE v1 pre-authentication encoding: {@code "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body}, where
   * {@code type} is the UTF-8 encoding of {@code payloadType} and each LEN is the ASCII decimal byte length with no
   * leading zeros (protocol.md). Lengths count bytes, not characters: {@code "ü"} has length 2.
   *
   * @throws IllegalArgumentException if {@code payloadType} has an unpaired surrogate (it has no UTF-8 encoding)
   */
  public static byte[] pae(String payloadType, byte[] payload) {
    return pae(utf8(payloadType), payload);
  }

  /** The pre-authentication encoding of a payload type already given as bytes. */
  public static byte[] pae(byte[] payloadType, byte[] payload) {
    byte[] typeLen = Integer.toString(payloadType.length).getBytes(StandardCharsets.US_ASCII);
    byte[] bodyLen = Integer.toString(payload.length).getBytes(StandardCharsets.US_ASCII);
    int total;
    try {
      total =
          Math.addExact(
              Math.addExact(7 + typeLen.length + 1 + bodyLen.length + 2, payloadType.length), payload.length);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("a PAE over 2 GiB cannot be built", e);
    }
    ByteBuffer b = ByteBuffer.allocate(total);
    b.put((byte) 'D').put((byte) 'S').put((byte) 'S').put((byte) 'E').put((byte) 'v').put((byte) '1').put((byte) ' ');
    b.put(typeLen).put((byte) ' ').put(payloadType).put((byte) ' ');
    b.put(bodyLen).put((byte) ' ').put(payload);
    return b.array();
  }

  private static byte[] utf8(String s) {
    try {
      ByteBuffer bb =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(s));
      byte[] out = new byte[bb.remaining()];
      bb.get(out);
      return out;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the payload type is not valid Unicode (an unpaired surrogate)", e);
    }
  }

  /** Parses a DSSE envelope from JSON. */
  public static DsseEnvelope parse(byte[] json) throws AttestationException {
    return fromJson(StrictJson.parseObject(json, MAX_ENVELOPE_BYTES), "");
  }

  /**
   * Reads an envelope from an already-parsed JSON object (for example a Sigstore bundle's {@code dsseEnvelope}),
   * with error pointers under {@code base}.
   */
  public static DsseEnvelope fromJson(JsonNode node, String base) throws AttestationException {
    if (node == null || !node.isObject()) {
      throw new AttestationException(
          node == null ? Reason.MISSING_FIELD : Reason.WRONG_TYPE,
          base,
          at(base) + "expected a DSSE envelope object, found " + StrictJson.describe(node));
    }
    ObjectNode o = (ObjectNode) node;
    String payloadType = string(o, "payloadType", base);
    try {
      utf8(payloadType);
    } catch (IllegalArgumentException e) {
      String p = StrictJson.pointer(base, "payloadType");
      throw new AttestationException(Reason.INVALID_VALUE, p, p + ": expected valid Unicode, found an unpaired surrogate");
    }
    String payloadPtr = StrictJson.pointer(base, "payload");
    String payloadB64 = string(o, "payload", base);
    if (payloadB64.length() > (Statement.MAX_PAYLOAD_BYTES / 3 + 1) * 4) {
      throw new AttestationException(
          Reason.TOO_LARGE,
          payloadPtr,
          payloadPtr + ": expected a payload of at most " + Statement.MAX_PAYLOAD_BYTES + " bytes, found "
              + payloadB64.length() + " base64 characters");
    }
    byte[] payload = StrictJson.decodeBase64(payloadB64, payloadPtr);
    if (payload.length > Statement.MAX_PAYLOAD_BYTES) {
      throw new AttestationException(
          Reason.TOO_LARGE,
          payloadPtr,
          payloadPtr + ": expected a payload of at most " + Statement.MAX_PAYLOAD_BYTES + " bytes, found " + payload.length);
    }
    String sigsPtr = StrictJson.pointer(base, "signatures");
    JsonNode sigs = o.get("signatures");
    if (sigs == null || sigs.isNull()) {
      throw new AttestationException(Reason.MISSING_FIELD, sigsPtr, sigsPtr + ": expected an array of signatures, found none");
    }
    if (!sigs.isArray()) {
      throw new AttestationException(
          Reason.WRONG_TYPE, sigsPtr, sigsPtr + ": expected an array of signatures, found " + StrictJson.describe(sigs));
    }
    if (sigs.isEmpty() || sigs.size() > MAX_SIGNATURES) {
      throw new AttestationException(
          sigs.isEmpty() ? Reason.INVALID_VALUE : Reason.TOO_LARGE,
          sigsPtr,
          sigsPtr + ": expected 1 to " + MAX_SIGNATURES + " signatures, found " + sigs.size());
    }
    List<DsseSignature> out = new ArrayList<>(sigs.size());
    for (int i = 0; i < sigs.size(); i++) {
      String p = StrictJson.pointer(sigsPtr, i);
      JsonNode s = sigs.get(i);
      if (!s.isObject()) {
        throw new AttestationException(
            Reason.WRONG_TYPE, p, p + ": expected a signature object, found " + StrictJson.describe(s));
      }
      ObjectNode so = (ObjectNode) s;
      String keyid = "";
      JsonNode k = so.get("keyid");
      if (k != null && !k.isNull()) {
        if (!k.isTextual()) {
          String kp = StrictJson.pointer(p, "keyid");
          throw new AttestationException(Reason.WRONG_TYPE, kp, kp + ": expected a string, found " + StrictJson.describe(k));
        }
        keyid = k.textValue();
      }
      String sigPtr = StrictJson.pointer(p, "sig");
      byte[] sig = StrictJson.decodeBase64(string(so, "sig", p), sigPtr);
      if (sig.length == 0) {
        throw new AttestationException(Reason.INVALID_VALUE, sigPtr, sigPtr + ": expected signature bytes, found none");
      }
      out.add(new DsseSignature(keyid, sig));
    }
    return new DsseEnvelope(payloadType, payload, out);
  }

  private static String string(ObjectNode o, String name, String base) throws AttestationException {
    String p = StrictJson.pointer(base, name);
    JsonNode v = o.get(name);
    if (v == null || v.isNull()) {
      throw new AttestationException(Reason.MISSING_FIELD, p, p + ": expected a string, found none");
    }
    if (!v.isTextual()) {
      throw new AttestationException(Reason.WRONG_TYPE, p, p + ": expected a string, found " + StrictJson.describe(v));
    }
    return v.textValue();
  }

  private static String at(String pointer) {
    return pointer.isEmpty() ? "" : pointer + ": ";
  }

  /** The payload type, e.g. {@value Statement#PAYLOAD_TYPE}. */
  public String payloadType() {
    return payloadType;
  }

  /** A copy of the payload bytes (what the signatures cover, inside the PAE). */
  public byte[] payload() {
    return payload.clone();
  }

  /** The signatures, in envelope order. */
  public List<DsseSignature> signatures() {
    return signatures;
  }

  /** {@link #pae(String, byte[])} of this envelope's payload type and payload: the bytes each signature signs. */
  public byte[] pae() {
    return pae(payloadType, payload);
  }

  /** Whether the payload type is {@value Statement#PAYLOAD_TYPE} (an in-toto statement). */
  public boolean isInTotoStatement() {
    return Statement.PAYLOAD_TYPE.equals(payloadType);
  }

  /**
   * The payload parsed as an in-toto statement. The statement keeps the exact payload bytes, so what is read is what
   * was signed (DSSE: "implementations MUST NOT re-parse the envelope after verification").
   *
   * @throws AttestationException if the payload type is not {@value Statement#PAYLOAD_TYPE} or the payload is not a
   *     valid statement
   */
  public Statement statement() throws AttestationException {
    if (!isInTotoStatement()) {
      throw new AttestationException(
          Reason.INVALID_VALUE,
          "/payloadType",
          "/payloadType: expected " + Statement.PAYLOAD_TYPE + ", found " + StrictJson.quote(payloadType));
    }
    return Statement.parse(payload);
  }

  /** This envelope as a JSON object (see the class comment for the form). */
  public ObjectNode toJsonNode() {
    ObjectNode o = StrictJson.newObject();
    o.put("payload", Base64.getEncoder().encodeToString(payload));
    o.put("payloadType", payloadType);
    ArrayNode a = o.putArray("signatures");
    for (DsseSignature s : signatures) {
      ObjectNode so = a.addObject();
      if (!s.keyid().isEmpty()) {
        so.put("keyid", s.keyid());
      }
      so.put("sig", Base64.getEncoder().encodeToString(s.sig()));
    }
    return o;
  }

  /** This envelope as compact JSON in UTF-8. */
  public byte[] toJson() {
    return StrictJson.write(toJsonNode());
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DsseEnvelope)) {
      return false;
    }
    DsseEnvelope e = (DsseEnvelope) o;
    return payloadType.equals(e.payloadType) && Arrays.equals(payload, e.payload) && signatures.equals(e.signatures);
  }

  @Override
  public int hashCode() {
    return (payloadType.hashCode() * 31 + Arrays.hashCode(payload)) * 31 + signatures.hashCode();
  }

  @Override
  public String toString() {
    return "DsseEnvelope[payloadType=" + payloadType + ", payload=" + payload.length + " bytes, signatures="
        + signatures + "]";
  }
}
