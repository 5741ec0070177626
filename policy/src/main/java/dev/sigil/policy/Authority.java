package dev.sigil.policy;

import dev.sigil.verifier.IdentityMatcher;
import dev.sigil.verifier.trust.TrustedRoot;
import java.security.PublicKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One way a policy can be satisfied: a key, a keyless identity, or a static pass or fail. */
public sealed interface Authority permits Authority.Key, Authority.Keyless, Authority.Static {
  String name();

  /** Attestations this authority must have made; when there are any, they (not signatures) satisfy the authority. */
  List<AttestationRequirement> attestations();

  /**
   * Signed with this public key.
   *
   * @param fingerprint SHA-256 of the key's SubjectPublicKeyInfo, hex (how verified signers are matched)
   * @param root the trusted root whose logs verify the key's log entries; empty for the default root
   * @param transparencyLogRequired false when the policy says {@code insecureIgnoreTlog: true}
   */
  record Key(
      String name,
      PublicKey key,
      String fingerprint,
      Optional<NamedRoot> root,
      boolean transparencyLogRequired,
      List<AttestationRequirement> attestations)
      implements Authority {
    public Key {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(fingerprint, "fingerprint");
      Objects.requireNonNull(root, "root");
      attestations = List.copyOf(attestations);
    }
  }

  /**
   * Signed keylessly by a certificate from {@code root} whose identity one of {@code identities} accepts.
   *
   * @param root the trusted root; empty for the default (public-good, or what the caller configured)
   * @param describe the identities in words, for explanations
   */
  record Keyless(
      String name,
      Optional<NamedRoot> root,
      List<IdentityMatcher> identities,
      String describe,
      boolean transparencyLogRequired,
      List<AttestationRequirement> attestations)
      implements Authority {
    public Keyless {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(root, "root");
      identities = List.copyOf(identities);
      Objects.requireNonNull(describe, "describe");
      attestations = List.copyOf(attestations);
    }
  }

  /** Always satisfied ({@code pass}) or never ({@code fail}). */
  record Static(String name, boolean pass) implements Authority {
    public Static {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public List<AttestationRequirement> attestations() {
      return List.of();
    }
  }

  /**
   * A trusted root other than the default, read when the policy set was loaded.
   *
   * @param name its name in {@code PolicySettings.trustedRoots}, or the file it was read from
   */
  record NamedRoot(String name, TrustedRoot root) {
    public NamedRoot {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(root, "root");
    }
  }
}
