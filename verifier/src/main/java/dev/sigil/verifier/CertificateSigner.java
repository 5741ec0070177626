package dev.sigil.verifier;

import dev.sigil.verifier.internal.certificate.FulcioCertificate;
import dev.sigil.verifier.internal.certificate.MalformedCertificateException;
import dev.sigil.verifier.internal.crypto.Certificates;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A signature made with a certificate from a trusted certificate authority (Fulcio): who the certificate names and
 * every Fulcio claim it carries.
 *
 * @param subjectAlternativeNames every SAN entry, in certificate order
 * @param issuer the OIDC issuer (extension 1.8, else the deprecated 1.1), if the certificate names one
 * @param extensions every Fulcio extension present, the issuer ones included
 * @param certificateIssuer the issuing CA's distinguished name
 * @param notBefore the start of the certificate's validity
 * @param notAfter the end of the certificate's validity
 * @param certificate the certificate, DER
 */
public record CertificateSigner(
    List<SubjectAlternativeName> subjectAlternativeNames,
    Optional<String> issuer,
    Map<FulcioExtension, String> extensions,
    String certificateIssuer,
    Instant notBefore,
    Instant notAfter,
    byte[] certificate)
    implements Signer {

  public CertificateSigner {
    subjectAlternativeNames = List.copyOf(subjectAlternativeNames);
    Objects.requireNonNull(issuer, "issuer");
    extensions = extensions.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(extensions));
    Objects.requireNonNull(certificateIssuer, "certificateIssuer");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    certificate = certificate.clone();
  }

  /**
   * What a certificate <em>claims</em>, read without verifying anything: for showing an entity that was not verified
   * (or before it is). Nothing returned is established: the certificate may not chain to any trusted CA, may never
   * have signed anything, and its claims may be invented. Only a {@link VerificationResult.Verified} result says who
   * signed. The name says so at every call site.
   *
   * @param der one DER X.509 certificate
   * @throws CertificateParsingException if {@code der} is not a DER X.509 certificate, or its SANs or Fulcio
   *     extensions are not encoded as Fulcio specifies; the message says what was expected and found
   */
  public static CertificateSigner readUnverified(byte[] der) throws CertificateParsingException {
    if (der.length == 0) {
      throw new CertificateParsingException("expected a DER X.509 certificate, found 0 bytes");
    }
    try {
      return FulcioCertificate.parse(Certificates.parse(der)).toSigner();
    } catch (MalformedCertificateException e) {
      throw new CertificateParsingException(e.getMessage());
    } catch (CertificateException | RuntimeException e) {
      // Library exceptions on hostile input are folded into the one checked exception this method declares.
      throw new CertificateParsingException(
          "expected a DER X.509 certificate, found a malformed one (" + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
    }
  }

  @Override
  public byte[] certificate() {
    return certificate.clone();
  }

  /**
   * The signer's identity as one string, as sigstore-go summarises it: the first URI SAN, else the first email SAN,
   * else the first username SAN, else the first SAN of any kind; empty if there is none.
   */
  public String subjectAlternativeName() {
    for (SubjectAlternativeName.Type t :
        new SubjectAlternativeName.Type[] {
          SubjectAlternativeName.Type.URI, SubjectAlternativeName.Type.EMAIL, SubjectAlternativeName.Type.USERNAME
        }) {
      for (SubjectAlternativeName san : subjectAlternativeNames) {
        if (san.type() == t) {
          return san.value();
        }
      }
    }
    return subjectAlternativeNames.isEmpty() ? "" : subjectAlternativeNames.get(0).value();
  }

  /** The value of one Fulcio extension, if present. */
  public Optional<String> extension(FulcioExtension extension) {
    return Optional.ofNullable(extensions.get(extension));
  }

  /**
   * Every Fulcio claim other than the issuer, keyed by sigstore-go's field name ({@link FulcioExtension#fieldName()},
   * e.g. {@code sourceRepositoryURI}), in OID order.
   */
  public Map<String, String> claims() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<FulcioExtension, String> e : extensions.entrySet()) {
      if (!e.getKey().isIssuer()) {
        out.put(e.getKey().fieldName(), e.getValue());
      }
    }
    return Collections.unmodifiableMap(out);
  }

  @Override
  public String describe() {
    return subjectAlternativeName() + (issuer.isPresent() ? " (issuer " + issuer.get() + ")" : "");
  }
}
