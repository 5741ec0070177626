package dev.sigil.signer.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.verifier.internal.json.JsonFormatException;
import dev.sigil.verifier.internal.json.JsonNode;
import dev.sigil.verifier.internal.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A Sigstore signing config ({@value #MEDIA_TYPE}): which Fulcio CAs, OIDC providers, Rekor logs and timestamp
 * authorities a signer should use, each with its API version and validity period, and how many logs and TSAs to use.
 * Immutable.
 *
 * <p>Selection ({@link #selectCa}, {@link #selectRekorTlogs}, {@link #selectTsas}, {@link #selectOidc}) keeps the
 * services valid at the given instant whose major API version this signer speaks (Fulcio 1, Rekor 1 and 2, TSA 1,
 * OIDC 1), picks per operator the newest one (highest API version, then latest start), and applies the selector
 * across operators: {@code ANY} the most preferred (highest version, then latest start; deterministic where
 * sigstore-go picks at random), {@code ALL} every operator's, {@code EXACT n} the {@code n} most preferred, refusing
 * a config that offers fewer. Unlike sigstore-go, which selects only from the highest API version any valid service
 * has, operators are not dropped for speaking an older version: a config whose {@code ALL} names operator A's Rekor v2
 * log and operator B's Rekor v1 log gets an entry in each, which is what {@code ALL} asks for. Whatever was passed
 * over is recorded with the reason in the {@link Selection}.
 */
public record SigningConfig(
    List<Service> caUrls,
    List<Service> oidcUrls,
    List<Service> rekorTlogUrls,
    List<Service> tsaUrls,
    ServiceConfiguration rekorTlogConfig,
    ServiceConfiguration tsaConfig) {

  public static final String MEDIA_TYPE = "application/vnd.dev.sigstore.signingconfig.v0.2+json";
  /** Refuse configs larger than this before parsing. */
  public static final int MAX_BYTES = 1024 * 1024;

  static final String PUBLIC_GOOD_RESOURCE = "public-good.signing_config.v0.2.json";
  private static final Set<String> TOP_FIELDS =
      Set.of("mediaType", "caUrls", "oidcUrls", "rekorTlogUrls", "tsaUrls", "rekorTlogConfig", "tsaConfig");
  private static final Set<String> SERVICE_FIELDS = Set.of("url", "majorApiVersion", "validFor", "operator");
  private static final Set<String> RANGE_FIELDS = Set.of("start", "end");
  private static final Set<String> CONFIG_FIELDS = Set.of("selector", "count");

  public SigningConfig {
    caUrls = List.copyOf(caUrls);
    oidcUrls = List.copyOf(oidcUrls);
    rekorTlogUrls = List.copyOf(rekorTlogUrls);
    tsaUrls = List.copyOf(tsaUrls);
    Objects.requireNonNull(rekorTlogConfig, "rekorTlogConfig");
    Objects.requireNonNull(tsaConfig, "tsaConfig");
  }

  /** How many of a kind of service to use. */
  public enum Selector {
    /** Every valid service (one per operator). */
    ALL,
    /** Exactly one valid service. */
    ANY,
    /** Exactly {@link ServiceConfiguration#count()} valid services from distinct operators. */
    EXACT
  }

  /**
   * A selector and, for {@link Selector#EXACT}, a count of at least 1 (ignored otherwise, and 0 then).
   */
  public record ServiceConfiguration(Selector selector, int count) {
    public ServiceConfiguration {
      Objects.requireNonNull(selector, "selector");
      if (selector == Selector.EXACT && count < 1) {
        throw new IllegalArgumentException("count: expected at least 1 for selector EXACT, found " + count);
      }
      if (selector != Selector.EXACT && count != 0) {
        throw new IllegalArgumentException("count: expected none for selector " + selector + ", found " + count);
      }
    }

    public static ServiceConfiguration any() {
      return new ServiceConfiguration(Selector.ANY, 0);
    }

    public static ServiceConfiguration all() {
      return new ServiceConfiguration(Selector.ALL, 0);
    }

    public static ServiceConfiguration exact(int count) {
      return new ServiceConfiguration(Selector.EXACT, count);
    }
  }

  /** A validity period: from {@code start} (inclusive) to {@code end} (exclusive), open-ended when absent. */
  public record TimeRange(Instant start, Optional<Instant> end) {
    public TimeRange {
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(end, "end");
      if (end.isPresent() && !end.get().isAfter(start)) {
        throw new IllegalArgumentException(
            "validity: expected end after start " + start + ", found end " + end.get());
      }
    }

    public static TimeRange from(Instant start) {
      return new TimeRange(start, Optional.empty());
    }

    public boolean contains(Instant t) {
      return !t.isBefore(start) && end.map(t::isBefore).orElse(true);
    }

    @Override
    public String toString() {
      return "[" + start + ", " + end.map(Instant::toString).orElse("open") + ")";
    }
  }

  /** One service endpoint. {@code url} is an absolute http(s) URL (a base URL, or for TSAs the full endpoint). */
  public record Service(URI url, int majorApiVersion, TimeRange validFor, String operator) {
    public Service {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(validFor, "validFor");
      Objects.requireNonNull(operator, "operator");
      String scheme = url.getScheme();
      if (!url.isAbsolute()
          || !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))
          || url.getHost() == null) {
        throw new IllegalArgumentException("url: expected an absolute http(s) URL, found \"" + url + "\"");
      }
      if (majorApiVersion < 1) {
        throw new IllegalArgumentException("majorApiVersion: expected at least 1, found " + majorApiVersion);
      }
    }

    /** A service valid from {@code start} on, with no end. */
    public static Service of(URI url, int majorApiVersion, Instant start, String operator) {
      return new Service(url, majorApiVersion, TimeRange.from(start), operator);
    }

    @Override
    public String toString() {
      return url + " (v" + majorApiVersion + ", " + operator + ", valid " + validFor + ")";
    }
  }

  /** A service that was not selected and why. */
  public record Skipped(Service service, String reason) {}

  /** The services selected, in order of preference, and those passed over with the reason. */
  public record Selection(List<Service> selected, List<Skipped> skipped) {
    public Selection {
      selected = List.copyOf(selected);
      skipped = List.copyOf(skipped);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Selection

  /** The Fulcio CA to use at {@code at}. */
  public Service selectCa(Instant at) throws SigningConfigException {
    Selection s = select("caUrls", caUrls, Set.of(1), "Fulcio", ServiceConfiguration.any(), at);
    return s.selected().get(0);
  }

  /** The OIDC provider to use at {@code at}, if the config names a usable one. */
  public Optional<Service> selectOidc(Instant at) {
    try {
      return oidcUrls.isEmpty()
          ? Optional.empty()
          : Optional.of(select("oidcUrls", oidcUrls, Set.of(1), "OIDC", ServiceConfiguration.any(), at).selected().get(0));
    } catch (SigningConfigException e) {
      return Optional.empty();
    }
  }

  /** The Rekor API versions Sigil's signer writes. */
  public static final Set<Integer> REKOR_API_VERSIONS = Set.of(1, 2);

  /**
   * The Rekor logs to write to at {@code at}, per {@link #rekorTlogConfig()}; at least one. Each selected service's
   * {@link Service#majorApiVersion()} says which client speaks to it.
   */
  public Selection selectRekorTlogs(Instant at) throws SigningConfigException {
    return select("rekorTlogUrls", rekorTlogUrls, REKOR_API_VERSIONS, "Rekor", rekorTlogConfig, at);
  }

  /** The timestamp authorities to use at {@code at}, per {@link #tsaConfig()}; empty if the config names none. */
  public Selection selectTsas(Instant at) throws SigningConfigException {
    if (tsaUrls.isEmpty()) {
      return new Selection(List.of(), List.of());
    }
    return select("tsaUrls", tsaUrls, Set.of(1), "TSA", tsaConfig, at);
  }

  private static Selection select(
      String field, List<Service> services, Set<Integer> supportedMajors, String what, ServiceConfiguration cfg,
      Instant at)
      throws SigningConfigException {
    Objects.requireNonNull(at, "at");
    List<Skipped> skipped = new ArrayList<>();
    Map<String, Service> bestByOperator = new LinkedHashMap<>();
    Comparator<Service> preference =
        Comparator.comparingInt(Service::majorApiVersion)
            .thenComparing(s -> s.validFor().start())
            .reversed();
    for (Service s : services) {
      if (!supportedMajors.contains(s.majorApiVersion())) {
        skipped.add(new Skipped(s, what + " API v" + s.majorApiVersion() + " is not supported (expected "
            + versions(supportedMajors) + ")"));
        continue;
      }
      if (!s.validFor().contains(at)) {
        skipped.add(new Skipped(s, "not valid at " + at + " (valid " + s.validFor() + ")"));
        continue;
      }
      Service prev = bestByOperator.get(s.operator());
      if (prev == null || preference.compare(s, prev) < 0) {
        if (prev != null) {
          skipped.add(new Skipped(prev, "a newer service of the same operator " + s.operator() + " is preferred"));
        }
        bestByOperator.put(s.operator(), s);
      } else {
        skipped.add(new Skipped(s, "a newer service of the same operator " + s.operator() + " is preferred"));
      }
    }
    List<Service> candidates = new ArrayList<>(bestByOperator.values());
    candidates.sort(preference);
    int needed = cfg.selector() == Selector.EXACT ? cfg.count() : 1;
    if (candidates.size() < needed) {
      StringBuilder why = new StringBuilder();
      for (Skipped k : skipped) {
        why.append("; ").append(k.service().url()).append(": ").append(k.reason());
      }
      throw new SigningConfigException(
          field
              + ": expected "
              + (cfg.selector() == Selector.EXACT ? needed + " usable " + what + " service(s) from distinct operators"
                  : "a usable " + what + " service")
              + " (API "
              + versions(supportedMajors)
              + ", valid at "
              + at
              + "), found "
              + candidates.size()
              + " of "
              + services.size()
              + why);
    }
    List<Service> selected =
        switch (cfg.selector()) {
          case ALL -> candidates;
          case ANY -> candidates.subList(0, 1);
          case EXACT -> candidates.subList(0, needed);
        };
    for (Service c : candidates.subList(selected.size(), candidates.size())) {
      skipped.add(new Skipped(c, "not needed: selector " + cfg.selector()
          + (cfg.selector() == Selector.EXACT ? " " + cfg.count() : "") + " is satisfied"));
    }
    return new Selection(selected, skipped);
  }

  private static String versions(Set<Integer> majors) {
    return majors.stream().sorted().map(v -> "v" + v).reduce((a, b) -> a + " or " + b).orElse("none");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Parsing and writing

  /** Sigstore's public-good signing config (as published in its TUF repository), embedded in this jar. */
  public static SigningConfig publicGood() {
    try (InputStream in = SigningConfig.class.getResourceAsStream(PUBLIC_GOOD_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + PUBLIC_GOOD_RESOURCE + " is missing from the signer jar");
      }
      return parse(in.readAllBytes());
    } catch (IOException | SigningConfigException e) {
      throw new IllegalStateException("the embedded public-good signing config does not parse: " + e.getMessage(), e);
    }
  }

  /**
   * Parses a signing config strictly, with the verifier's one JSON reader (strict UTF-8, no duplicate names, paths in
   * every error): the media type must be {@value #MEDIA_TYPE}, unknown fields are refused, and every error names the
   * field path.
   */
  public static SigningConfig parse(byte[] json) throws SigningConfigException {
    Objects.requireNonNull(json, "json");
    if (json.length > MAX_BYTES) {
      throw new SigningConfigException(
          "signing config: expected at most " + MAX_BYTES + " bytes, found " + json.length);
    }
    JsonNode tree;
    try {
      tree = JsonNode.parse(json);
    } catch (IOException e) {
      throw new SigningConfigException("signing config: expected JSON, found malformed input (" + oneLine(e) + ")");
    }
    if (tree == null || !tree.isObject()) {
      throw new SigningConfigException(
          "signing config: expected a JSON object, found "
              + (tree == null || tree.isMissingNode() ? "nothing" : tree.getNodeType()));
    }
    try {
      return read(JsonValue.root(tree, JsonValue.Dialect.SIGNING_CONFIG));
    } catch (JsonFormatException e) {
      throw new SigningConfigException(e.getMessage());
    }
  }

  private static SigningConfig read(JsonValue root) throws SigningConfigException, JsonFormatException {
    root.refuseUnknownFields(TOP_FIELDS);
    JsonNode mt = root.node().get("mediaType");
    if (mt == null || !mt.isTextual()) {
      throw new SigningConfigException(
          "mediaType: expected \"" + MEDIA_TYPE + "\", found " + (mt == null ? "no mediaType" : mt.toString()));
    }
    if (!MEDIA_TYPE.equals(mt.textValue())) {
      String hint =
          mt.textValue().contains("v0.1")
              ? " (v0.1 signing configs, with single caUrl/tlogUrls strings, are not supported)"
              : "";
      throw new SigningConfigException(
          "mediaType: expected \"" + MEDIA_TYPE + "\", found \"" + mt.textValue() + "\"" + hint);
    }
    List<Service> ca = services(root, "caUrls");
    List<Service> oidc = services(root, "oidcUrls");
    List<Service> rekor = services(root, "rekorTlogUrls");
    List<Service> tsa = services(root, "tsaUrls");
    ServiceConfiguration rekorCfg = serviceConfig(root, "rekorTlogConfig", !rekor.isEmpty());
    ServiceConfiguration tsaCfg = serviceConfig(root, "tsaConfig", !tsa.isEmpty());
    return new SigningConfig(ca, oidc, rekor, tsa, rekorCfg, tsaCfg);
  }

  /** This config as pretty-printed JSON ({@value #MEDIA_TYPE}), UTF-8, ending in a newline. */
  public byte[] toJson() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("mediaType", MEDIA_TYPE);
    writeServices(root.putArray("caUrls"), caUrls);
    writeServices(root.putArray("oidcUrls"), oidcUrls);
    writeServices(root.putArray("rekorTlogUrls"), rekorTlogUrls);
    writeServices(root.putArray("tsaUrls"), tsaUrls);
    writeConfig(root.putObject("rekorTlogConfig"), rekorTlogConfig);
    writeConfig(root.putObject("tsaConfig"), tsaConfig);
    try {
      return (MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n")
          .getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("serializing a JSON tree cannot fail", e);
    }
  }

  /** Writes only: configs are read by the verifier's one JSON reader ({@link JsonNode}, {@link JsonValue}). */
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private static void writeServices(ArrayNode out, List<Service> services) {
    for (Service s : services) {
      ObjectNode n = out.addObject();
      n.put("url", s.url().toString());
      n.put("majorApiVersion", s.majorApiVersion());
      ObjectNode v = n.putObject("validFor");
      v.put("start", s.validFor().start().toString());
      s.validFor().end().ifPresent(e -> v.put("end", e.toString()));
      n.put("operator", s.operator());
    }
  }

  private static void writeConfig(ObjectNode n, ServiceConfiguration c) {
    n.put("selector", c.selector().name());
    if (c.selector() == Selector.EXACT) {
      n.put("count", c.count());
    }
  }

  /** Services of one kind; at most this many (public-good lists a handful). */
  private static final int MAX_SERVICES = 100;

  private static List<Service> services(JsonValue root, String field)
      throws SigningConfigException, JsonFormatException {
    JsonNode arr = root.node().get(field);
    if (arr == null) {
      return List.of();
    }
    if (!arr.isArray()) {
      throw new SigningConfigException(field + ": expected an array of services, found " + describe(arr));
    }
    List<Service> out = new ArrayList<>();
    for (JsonValue s : root.required(field).elements(MAX_SERVICES)) {
      out.add(service(s));
    }
    return out;
  }

  private static Service service(JsonValue v) throws SigningConfigException, JsonFormatException {
    String path = v.path();
    JsonNode n = v.node();
    if (!n.isObject()) {
      throw new SigningConfigException(path + ": expected an object, found " + describe(n));
    }
    v.refuseUnknownFields(SERVICE_FIELDS);
    String urlText = requiredString(n, "url", path);
    URI url;
    try {
      url = new URI(urlText);
    } catch (URISyntaxException e) {
      throw new SigningConfigException(path + ".url: expected an absolute http(s) URL, found \"" + urlText + "\"");
    }
    JsonNode major = n.get("majorApiVersion");
    if (major == null || !major.isIntegralNumber() || !major.canConvertToInt() || major.intValue() < 1) {
      throw new SigningConfigException(
          path + ".majorApiVersion: expected a positive integer, found "
              + (major == null ? "no value" : major.toString()));
    }
    JsonNode vf = n.get("validFor");
    if (vf == null || !vf.isObject()) {
      throw new SigningConfigException(
          path + ".validFor: expected an object with start (and optional end), found "
              + (vf == null ? "no value" : describe(vf)));
    }
    v.required("validFor").refuseUnknownFields(RANGE_FIELDS);
    Instant start = instant(requiredString(vf, "start", path + ".validFor"), path + ".validFor.start");
    Optional<Instant> end = Optional.empty();
    if (vf.has("end")) {
      end = Optional.of(instant(requiredString(vf, "end", path + ".validFor"), path + ".validFor.end"));
    }
    String operator = requiredString(n, "operator", path);
    try {
      return new Service(url, major.intValue(), new TimeRange(start, end), operator);
    } catch (IllegalArgumentException e) {
      throw new SigningConfigException(path + "." + e.getMessage());
    }
  }

  private static ServiceConfiguration serviceConfig(JsonValue root, String field, boolean required)
      throws SigningConfigException, JsonFormatException {
    JsonNode n = root.node().get(field);
    if (n == null) {
      if (required) {
        throw new SigningConfigException(
            field + ": expected an object with a selector (ALL, ANY or EXACT), found no value");
      }
      return ServiceConfiguration.any();
    }
    if (!n.isObject()) {
      throw new SigningConfigException(field + ": expected an object, found " + describe(n));
    }
    root.required(field).refuseUnknownFields(CONFIG_FIELDS);
    String sel = requiredString(n, "selector", field);
    Selector selector;
    try {
      selector = Selector.valueOf(sel);
    } catch (IllegalArgumentException e) {
      throw new SigningConfigException(
          field + ".selector: expected ALL, ANY or EXACT, found \"" + sel + "\"");
    }
    JsonNode c = n.get("count");
    if (selector == Selector.EXACT) {
      if (c == null || !c.isIntegralNumber() || !c.canConvertToInt() || c.intValue() < 1) {
        throw new SigningConfigException(
            field + ".count: expected a positive integer for selector EXACT, found "
                + (c == null ? "no value" : c.toString()));
      }
      return ServiceConfiguration.exact(c.intValue());
    }
    if (c != null && !(c.isIntegralNumber() && c.intValue() == 0)) {
      throw new SigningConfigException(
          field + ".count: expected no count for selector " + selector + ", found " + c);
    }
    return new ServiceConfiguration(selector, 0);
  }

  private static String requiredString(JsonNode n, String field, String path) throws SigningConfigException {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
      throw new SigningConfigException(
          path + "." + field + ": expected a non-empty string, found " + (v == null ? "no value" : v.toString()));
    }
    return v.textValue();
  }

  private static Instant instant(String text, String path) throws SigningConfigException {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new SigningConfigException(
          path + ": expected an RFC 3339 timestamp (e.g. 2025-04-09T00:00:00Z), found \"" + text + "\"");
    }
  }

  private static String describe(JsonNode n) {
    return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + abbreviate(n.toString());
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  private static String oneLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
