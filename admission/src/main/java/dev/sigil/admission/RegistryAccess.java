package dev.sigil.admission;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sigil.admission.kube.Review;
import dev.sigil.images.ImageFetcher;
import dev.sigil.oci.registry.CredentialSource;
import dev.sigil.oci.registry.RegistryClient;
import dev.sigil.oci.registry.RegistryOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Registry access for a review: which credentials its images are fetched with. Without a cluster, one client with the
 * configured credentials (a docker config file) serves every review. In a cluster, each pod's
 * {@code imagePullSecrets} and its service account's come first, then the configured credentials; each distinct set
 * gets its own client, so a registry token obtained with one namespace's secret is never sent for another's.
 *
 * <p>Thread-safe. Clients unused for ten minutes are closed.
 */
final class RegistryAccess implements AutoCloseable {
  /**
   * Credentials that a review's pod may use, beyond the configured ones: its namespace's pull secrets.
   */
  interface PodCredentials {
    /** The pod's and its service account's pull secrets, looked up only when a registry asks for credentials. */
    CredentialSource forPod(String namespace, String serviceAccount, List<String> pullSecrets);
  }

  /**
   * A fetcher and the name of its credentials.
   *
   * @param key names the credential set ({@code default}, or namespace, service account and secret names): reviews
   *     with the same key share registry tokens, in-flight lookups and tag resolutions
   */
  record Scoped(String key, ImageFetcher fetcher) {}

  private static final int FETCH_THREADS = 24;

  private final RegistryOptions options;
  private final PodCredentials pods;
  private final Scoped shared;
  private final Cache<String, Scoped> scoped;

  /**
   * @param options the registry options, with the configured credentials
   * @param pods pull-secret credentials (in a cluster), or null to use the configured credentials for every review
   */
  RegistryAccess(RegistryOptions options, PodCredentials pods) {
    this.options = Objects.requireNonNull(options, "options");
    this.pods = pods;
    this.shared = new Scoped("default", new ImageFetcher(new RegistryClient(options), FETCH_THREADS));
    this.scoped =
        Caffeine.newBuilder()
            .maximumSize(256)
            .expireAfterAccess(Duration.ofMinutes(10))
            .<String, Scoped>removalListener((k, v, cause) -> {
              if (v != null) {
                v.fetcher().close();
              }
            })
            .build();
  }

  /** The access for a review's images. */
  Scoped forReview(Review review) {
    if (pods == null) {
      return shared;
    }
    List<String> secrets = new ArrayList<>(review.pullSecrets());
    secrets.sort(null);
    String key = review.namespace() + "/" + review.serviceAccount() + "/" + String.join(",", secrets);
    return scoped.get(key, k -> {
      CredentialSource creds =
          CredentialSource.firstOf(
              pods.forPod(review.namespace(), review.serviceAccount(), secrets), options.credentials());
      RegistryClient client = new RegistryClient(options.toBuilder().credentials(creds).build());
      return new Scoped(k, new ImageFetcher(client, 6));
    });
  }

  @Override
  public void close() {
    scoped.invalidateAll();
    scoped.cleanUp();
    shared.fetcher().close();
  }
}
