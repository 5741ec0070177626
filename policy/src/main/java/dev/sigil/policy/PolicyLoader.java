package dev.sigil.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.attestations.AttestationException;
import dev.sigil.attestations.PredicateTypes;
import dev.sigil.attestations.slsa.SlsaExpectations;
import dev.sigil.policy.PolicyDocuments.AttestationDoc;
import dev.sigil.policy.PolicyDocuments.AuthorityDoc;
import dev.sigil.policy.PolicyDocuments.ConditionDoc;
import dev.sigil.policy.PolicyDocuments.IdentityDoc;
import dev.sigil.policy.PolicyDocuments.ImagePolicyDoc;
import dev.sigil.policy.PolicyDocuments.RootRef;
import dev.sigil.policy.PolicyDocuments.SettingsDoc;
import dev.sigil.verifier.FulcioExtension;
import dev.sigil.verifier.IdentityMatcher;
import dev.sigil.verifier.trust.TrustedPublicKey;
import dev.sigil.verifier.trust.TrustedRoot;
import dev.sigil.verifier.trust.TrustedRootException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads policy files (YAML, several documents per file) into a validated {@link PolicySet}. Everything is checked
 * before anything is returned: unknown fields, missing fields, globs, regular expressions, Fulcio claim names,
 * predicate types, keys, trusted roots and CEL conditions (parsed and type-checked). Every problem found is reported
 * together, each naming the file, the document and the field with its line and column. Key and trusted-root files
 * named by a policy are read relative to the policy file.
 */
public final class PolicyLoader {
  private final Cel cel = new Cel();
  /** The files the policies being loaded name (keys, trusted roots), as read; one load at a time per loader. */
  private final Map<Path, byte[]> referenced = new java.util.TreeMap<>();

  /**
   * Loads every file given; a directory contributes its {@code *.yaml} and {@code *.yml} files, in name order. The
   * set's hash covers the policy files and every file they name, as read.
   */
  public synchronized PolicySet load(List<Path> paths) throws PolicyException {
    referenced.clear();
    List<Path> files = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          s.filter(f -> Files.isRegularFile(f) && (f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")))
              .sorted()
              .forEach(files::add);
        } catch (IOException e) {
          throw new PolicyException(p + ": expected a readable directory of policies, found " + e.getMessage());
        }
      } else {
        files.add(p);
      }
    }
    if (files.isEmpty()) {
      throw new PolicyException("expected at least one policy file, found none in " + paths);
    }
    List<String> problems = new ArrayList<>();
    List<ImagePolicy> policies = new ArrayList<>();
    NoMatch noMatch = null;
    String settingsAt = null;
    Map<String, Authority.NamedRoot> namedRoots = new HashMap<>();
    MessageDigest sha = sha256();
    List<Parsed> parsed = new ArrayList<>();
    for (Path file : files) {
      byte[] bytes;
      try {
        if (Files.size(file) > YamlDocuments.MAX_FILE_BYTES) {
          problems.add(file + ": expected a policy file of at most " + YamlDocuments.MAX_FILE_BYTES + " bytes, found "
              + Files.size(file));
          continue;
        }
        bytes = Files.readAllBytes(file);
      } catch (IOException e) {
        problems.add(file + ": expected a readable file, found " + e.getClass().getSimpleName() + " (" + e.getMessage() + ")");
        continue;
      }
      sha.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(bytes);
      String text;
      try {
        text =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(bytes))
                .toString();
      } catch (CharacterCodingException e) {
        problems.add(file + ": expected UTF-8 text, found invalid bytes");
        continue;
      }
      try {
        for (YamlDocuments.Document d : YamlDocuments.read(file.toString(), text)) {
          parsed.add(new Parsed(file, d));
        }
      } catch (PolicyException e) {
        problems.addAll(e.problems());
      }
    }
    // Settings first: named roots are referenced by policies.
    for (Parsed p : parsed) {
      String kind = p.doc().tree().path("kind").asText("");
      if (!kind.equals("PolicySettings")) {
        continue;
      }
      try {
        SettingsDoc s = p.doc().bind(SettingsDoc.class, "PolicySettings");
        apiVersion(p.doc(), s.apiVersion(), problems);
        if (settingsAt != null) {
          problems.add(p.doc().where("/kind") + ": expected one PolicySettings document in the set, found a second"
              + " (the first is at " + settingsAt + ")");
          continue;
        }
        settingsAt = p.doc().where("");
        if (s.noMatch() != null) {
          try {
            noMatch = NoMatch.valueOf(s.noMatch().toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            problems.add(p.doc().where("/noMatch") + ": noMatch: expected deny, allow or warn, found \"" + s.noMatch() + "\"");
          }
        }
        if (s.trustedRoots() != null) {
          for (int i = 0; i < s.trustedRoots().size(); i++) {
            PolicyDocuments.NamedRoot r = s.trustedRoots().get(i);
            String at = "/trustedRoots/" + i;
            if (r.name() == null || r.name().isEmpty() || r.file() == null || r.file().isEmpty()) {
              problems.add(p.doc().where(at) + ": trustedRoots[" + i + "]: expected a name and a file");
              continue;
            }
            if (namedRoots.containsKey(r.name())) {
              problems.add(p.doc().where(at) + ": trustedRoots[" + i + "]: expected unique names, found \"" + r.name()
                  + "\" twice");
              continue;
            }
            Optional<TrustedRoot> root = readRoot(p, at + "/file", r.file(), problems);
            root.ifPresent(tr -> namedRoots.put(r.name(), new Authority.NamedRoot(r.name(), tr)));
          }
        }
      } catch (PolicyException e) {
        problems.addAll(e.problems());
      }
    }
    Set<String> names = new HashSet<>();
    for (Parsed p : parsed) {
      String kind = p.doc().tree().path("kind").asText("");
      if (kind.equals("PolicySettings")) {
        continue;
      }
      if (!kind.equals("ImagePolicy")) {
        problems.add(p.doc().where("/kind") + ": kind: expected ImagePolicy or PolicySettings, found \"" + kind + "\"");
        continue;
      }
      try {
        ImagePolicyDoc doc = p.doc().bind(ImagePolicyDoc.class, "ImagePolicy");
        ImagePolicy policy = policy(p, doc, namedRoots, problems);
        if (policy != null) {
          if (!names.add(policy.name())) {
            problems.add(p.doc().where("/metadata/name") + ": metadata.name: expected names unique in the set, found \""
                + policy.name() + "\" twice");
          }
          policies.add(policy);
        }
      } catch (PolicyException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new PolicyException(problems);
    }
    for (Map.Entry<Path, byte[]> r : referenced.entrySet()) {
      sha.update((byte) 1);
      sha.update(r.getKey().toString().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(r.getValue());
    }
    return new PolicySet(policies, noMatch == null ? NoMatch.DENY : noMatch, HexFormat.of().formatHex(sha.digest()),
        List.copyOf(referenced.keySet()));
  }

  private record Parsed(Path file, YamlDocuments.Document doc) {}

  private static void apiVersion(YamlDocuments.Document d, String v, List<String> problems) {
    if (!PolicyDocuments.API_VERSION.equals(v)) {
      problems.add(d.where("/apiVersion") + ": apiVersion: expected " + PolicyDocuments.API_VERSION + ", found "
          + (v == null ? "none" : "\"" + v + "\""));
    }
  }

  /** Validates one ImagePolicy; adds problems and returns null when it has any. */
  private ImagePolicy policy(
      Parsed p, ImagePolicyDoc doc, Map<String, Authority.NamedRoot> roots, List<String> problems) {
    YamlDocuments.Document d = p.doc();
    int before = problems.size();
    apiVersion(d, doc.apiVersion(), problems);
    String name = doc.metadata() == null ? null : doc.metadata().name();
    if (name == null || name.isEmpty()) {
      problems.add(d.where("/metadata") + ": metadata.name: expected a name, found none");
      name = "?";
    }
    String label = " (ImagePolicy " + name + "): ";
    if (doc.spec() == null) {
      problems.add(d.where("") + label + "spec: expected the policy's spec, found none");
      return null;
    }
    List<ImageGlob> images = globs(d, label, "images", doc.spec().images(), true, problems);
    List<ImageGlob> exclude = globs(d, label, "exclude", doc.spec().exclude(), false, problems);
    Mode mode = Mode.ENFORCE;
    if (doc.spec().mode() != null) {
      try {
        mode = Mode.valueOf(doc.spec().mode().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problems.add(d.where("/spec/mode") + label + "spec.mode: expected enforce or warn, found \"" + doc.spec().mode() + "\"");
      }
    }
    List<Authority> authorities = new ArrayList<>();
    List<AuthorityDoc> docs = doc.spec().authorities() == null ? List.of() : doc.spec().authorities();
    if (docs.isEmpty()) {
      problems.add(d.where("/spec") + label + "spec.authorities: expected at least one authority, found none");
    }
    Set<String> authorityNames = new HashSet<>();
    for (int i = 0; i < docs.size(); i++) {
      Authority a = authority(p, label, i, docs.get(i), roots, problems);
      if (a != null) {
        if (!authorityNames.add(a.name())) {
          problems.add(d.where("/spec/authorities/" + i + "/name") + label + "spec.authorities[" + i
              + "].name: expected names unique in the policy, found \"" + a.name() + "\" twice");
        }
        authorities.add(a);
      }
    }
    int threshold = doc.spec().threshold() == null ? 1 : doc.spec().threshold();
    if (threshold < 1 || threshold > Math.max(1, docs.size())) {
      problems.add(d.where("/spec/threshold") + label + "spec.threshold: expected 1 to " + Math.max(1, docs.size())
          + " (the number of authorities), found " + threshold);
    }
    if (problems.size() > before) {
      return null;
    }
    return new ImagePolicy(name, p.file() + ": document " + (d.index() + 1), images, exclude, mode, threshold, authorities);
  }

  private static List<ImageGlob> globs(
      YamlDocuments.Document d,
      String label,
      String field,
      List<PolicyDocuments.Glob> globs,
      boolean required,
      List<String> problems) {
    List<ImageGlob> out = new ArrayList<>();
    if (globs == null || globs.isEmpty()) {
      if (required) {
        problems.add(d.where("/spec") + label + "spec." + field + ": expected at least one {glob: ...}, found none");
      }
      return out;
    }
    for (int i = 0; i < globs.size(); i++) {
      String at = "/spec/" + field + "/" + i;
      PolicyDocuments.Glob g = globs.get(i);
      if (g == null || g.glob() == null) {
        problems.add(d.where(at) + label + "spec." + field + "[" + i + "].glob: expected a glob, found none");
        continue;
      }
      try {
        out.add(ImageGlob.compile(g.glob()));
      } catch (IllegalArgumentException e) {
        problems.add(d.where(at + "/glob") + label + "spec." + field + "[" + i + "].glob: " + e.getMessage());
      }
    }
    return out;
  }

  private Authority authority(
      Parsed p, String label, int i, AuthorityDoc a, Map<String, Authority.NamedRoot> roots, List<String> problems) {
    YamlDocuments.Document d = p.doc();
    String at = "/spec/authorities/" + i;
    String field = "spec.authorities[" + i + "]";
    if (a == null) {
      problems.add(d.where(at) + label + field + ": expected an authority, found null");
      return null;
    }
    String name = a.name() == null || a.name().isEmpty() ? "authority-" + (i + 1) : a.name();
    int kinds = (a.key() != null ? 1 : 0) + (a.keyless() != null ? 1 : 0) + (a.staticAction() != null ? 1 : 0);
    if (kinds != 1) {
      problems.add(d.where(at) + label + field + ": expected exactly one of key, keyless and static, found " + kinds);
      return null;
    }
    int before = problems.size();
    boolean tlog = a.insecureIgnoreTlog() == null || !a.insecureIgnoreTlog();
    List<AttestationRequirement> attestations = attestations(d, label, at, field, a.attestations(), problems);
    if (a.staticAction() != null) {
      String action = a.staticAction().action();
      if (!"pass".equals(action) && !"fail".equals(action)) {
        problems.add(d.where(at + "/static") + label + field + ".static.action: expected pass or fail, found "
            + (action == null ? "none" : "\"" + action + "\""));
        return null;
      }
      if (a.attestations() != null && !a.attestations().isEmpty()) {
        problems.add(d.where(at + "/attestations") + label + field + ".attestations: a static authority has none");
      }
      return problems.size() > before ? null : new Authority.Static(name, action.equals("pass"));
    }
    if (a.key() != null) {
      PolicyDocuments.KeyRef k = a.key();
      if ((k.data() == null) == (k.file() == null)) {
        problems.add(d.where(at + "/key") + label + field + ".key: expected exactly one of data (PEM) and file");
        return null;
      }
      String pem;
      if (k.data() != null) {
        pem = k.data();
      } else {
        Path f = resolve(p.file(), k.file());
        try {
          byte[] bytes = Files.readAllBytes(f);
          referenced.put(f, bytes);
          pem = new String(bytes, StandardCharsets.US_ASCII);
        } catch (IOException e) {
          problems.add(d.where(at + "/key/file") + label + field + ".key.file: expected a readable PEM public key, found "
              + e.getClass().getSimpleName() + " (" + f + ")");
          return null;
        }
      }
      PublicKey key;
      try {
        key = TrustedPublicKey.parsePem(pem);
      } catch (InvalidKeySpecException e) {
        problems.add(d.where(at + "/key") + label + field + ".key: " + e.getMessage());
        return null;
      }
      Optional<Authority.NamedRoot> root = rootRef(p, label, at + "/trustedRoot", field + ".trustedRoot", a.trustedRoot(), roots, problems);
      return problems.size() > before
          ? null
          : new Authority.Key(name, key, TrustedPublicKey.of(key).fingerprint(), root, tlog, attestations);
    }
    PolicyDocuments.KeylessDoc kl = a.keyless();
    if (a.trustedRoot() != null) {
      problems.add(d.where(at + "/trustedRoot") + label + field + ".trustedRoot: for keyless authorities it goes under"
          + " keyless.trustedRoot");
    }
    Optional<Authority.NamedRoot> root =
        rootRef(p, label, at + "/keyless/trustedRoot", field + ".keyless.trustedRoot", kl.trustedRoot(), roots, problems);
    List<IdentityMatcher> identities = new ArrayList<>();
    List<String> described = new ArrayList<>();
    List<IdentityDoc> ids = kl.identities() == null ? List.of() : kl.identities();
    if (ids.isEmpty()) {
      problems.add(d.where(at + "/keyless") + label + field + ".keyless.identities: expected at least one identity"
          + " (issuer and subject, exact or regular expression), found none");
    }
    for (int j = 0; j < ids.size(); j++) {
      IdentityDoc id = ids.get(j);
      String idAt = at + "/keyless/identities/" + j;
      String idField = field + ".keyless.identities[" + j + "]";
      try {
        IdentityMatcher.Builder b = IdentityMatcher.builder();
        if (id.subject() != null && id.subjectRegExp() != null || id.issuer() != null && id.issuerRegExp() != null) {
          throw new IllegalArgumentException("expected subject or subjectRegExp, and issuer or issuerRegExp, not both of a pair");
        }
        if (id.subject() != null) {
          b.subjectAlternativeName(id.subject());
        }
        if (id.subjectRegExp() != null) {
          b.subjectAlternativeNameRegex(id.subjectRegExp());
        }
        if (id.issuer() != null) {
          b.issuer(id.issuer());
        }
        if (id.issuerRegExp() != null) {
          b.issuerRegex(id.issuerRegExp());
        }
        if (kl.claims() != null) {
          for (Map.Entry<String, String> c : kl.claims().entrySet()) {
            if (FulcioExtension.byName(c.getKey()).isEmpty()) {
              problems.add(d.where(at + "/keyless/claims/" + c.getKey()) + label + field + ".keyless.claims."
                  + c.getKey() + ": expected a Fulcio claim name (sourceRepositoryURI, sourceRepositoryRef,"
                  + " buildSignerURI, githubWorkflowTrigger, ...), found \"" + c.getKey() + "\"");
              continue;
            }
            b.extension(c.getKey(), c.getValue());
          }
        }
        identities.add(b.build());
        described.add(
            (id.subject() != null ? id.subject() : "/" + id.subjectRegExp() + "/") + " via "
                + (id.issuer() != null ? id.issuer() : "/" + id.issuerRegExp() + "/"));
      } catch (IllegalArgumentException e) {
        problems.add(d.where(idAt) + label + idField + ": " + e.getMessage());
      }
    }
    if (problems.size() > before) {
      return null;
    }
    String describe = "an identity matching " + String.join(" or ", described)
        + (kl.claims() == null || kl.claims().isEmpty() ? "" : " with " + kl.claims());
    return new Authority.Keyless(name, root, identities, describe, tlog, attestations);
  }

  private List<AttestationRequirement> attestations(
      YamlDocuments.Document d, String label, String at, String field, List<AttestationDoc> docs, List<String> problems) {
    List<AttestationRequirement> out = new ArrayList<>();
    if (docs == null) {
      return out;
    }
    for (int j = 0; j < docs.size(); j++) {
      AttestationDoc a = docs.get(j);
      String aAt = at + "/attestations/" + j;
      String aField = field + ".attestations[" + j + "]";
      if (a == null || a.predicateType() == null) {
        problems.add(d.where(aAt) + label + aField + ".predicateType: expected a predicate type, found none");
        continue;
      }
      String type;
      try {
        type = PredicateTypes.resolve(a.predicateType());
      } catch (AttestationException e) {
        problems.add(d.where(aAt + "/predicateType") + label + aField + ".predicateType: " + e.getMessage());
        continue;
      }
      Optional<SlsaExpectations> slsa = Optional.empty();
      if (a.slsa() != null) {
        try {
          SlsaExpectations.Builder b = SlsaExpectations.builder();
          if (a.slsa().sourceRepository() != null) {
            b.sourceUri(a.slsa().sourceRepository());
          }
          if (a.slsa().sourceRef() != null) {
            b.sourceRef(a.slsa().sourceRef());
          }
          if (a.slsa().builderId() != null) {
            b.builderId(a.slsa().builderId());
          }
          slsa = Optional.of(b.build());
        } catch (RuntimeException e) {
          problems.add(d.where(aAt + "/slsa") + label + aField + ".slsa: " + e.getMessage());
          continue;
        }
      }
      List<Condition> conditions = new ArrayList<>();
      List<ConditionDoc> cs = a.conditions() == null ? List.of() : a.conditions();
      for (int k = 0; k < cs.size(); k++) {
        ConditionDoc c = cs.get(k);
        String cAt = aAt + "/conditions/" + k;
        String cField = aField + ".conditions[" + k + "]";
        if (c == null || c.expression() == null || c.expression().isBlank()) {
          problems.add(d.where(cAt) + label + cField + ".expression: expected a CEL expression, found none");
          continue;
        }
        try {
          String cname = c.name() == null ? "condition-" + (k + 1) : c.name();
          conditions.add(
              new Condition(cname, c.expression(), c.message() == null ? c.expression() : c.message(), cel.compile(c.expression())));
        } catch (IllegalArgumentException e) {
          problems.add(d.where(cAt + "/expression") + label + cField + ".expression: " + e.getMessage());
        }
      }
      String name = a.name() == null ? "attestation-" + (j + 1) : a.name();
      out.add(new AttestationRequirement(name, type, slsa, conditions));
    }
    return out;
  }

  private Optional<Authority.NamedRoot> rootRef(
      Parsed p,
      String label,
      String at,
      String field,
      RootRef ref,
      Map<String, Authority.NamedRoot> roots,
      List<String> problems) {
    if (ref == null) {
      return Optional.empty();
    }
    if ((ref.name() == null) == (ref.file() == null)) {
      problems.add(p.doc().where(at) + label + field + ": expected exactly one of name (from PolicySettings.trustedRoots)"
          + " and file");
      return Optional.empty();
    }
    if (ref.name() != null) {
      Authority.NamedRoot r = roots.get(ref.name());
      if (r == null) {
        problems.add(p.doc().where(at + "/name") + label + field + ".name: expected a root named in"
            + " PolicySettings.trustedRoots " + roots.keySet() + ", found \"" + ref.name() + "\"");
        return Optional.empty();
      }
      return Optional.of(r);
    }
    List<String> sink = new ArrayList<>();
    Optional<TrustedRoot> root = readRoot(p, at + "/file", ref.file(), sink);
    for (String s : sink) {
      problems.add(s.replace(": trusted root", label + field + ".file: trusted root"));
    }
    return root.map(r -> new Authority.NamedRoot(ref.file(), r));
  }

  private Optional<TrustedRoot> readRoot(Parsed p, String at, String file, List<String> problems) {
    Path f = resolve(p.file(), file);
    try {
      byte[] bytes = Files.readAllBytes(f);
      referenced.put(f, bytes);
      return Optional.of(TrustedRoot.parse(bytes));
    } catch (IOException e) {
      problems.add(p.doc().where(at) + ": trusted root " + f + ": expected a readable file, found "
          + e.getClass().getSimpleName());
    } catch (TrustedRootException e) {
      problems.add(p.doc().where(at) + ": trusted root " + f + ": " + e.getMessage());
    }
    return Optional.empty();
  }

  private static Path resolve(Path policyFile, String name) {
    Path n = Path.of(name);
    if (n.isAbsolute()) {
      return n;
    }
    Path dir = policyFile.toAbsolutePath().getParent();
    return dir == null ? n : dir.resolve(n);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
    }
  }

  /** The tree of a document, for tests. */
  static JsonNode tree(YamlDocuments.Document d) {
    return d.tree();
  }
}
