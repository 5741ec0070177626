/**
 * The only code in Sigil that fetches trust: the Sigstore trusted root, refreshed and verified through TUF, cached on
 * disk, and chosen for verification.
 *
 * <ul>
 *   <li>{@link dev.sigil.tuf.TufTrustedRoot}: one TUF repository (mirror) and a cache directory.
 *       {@link dev.sigil.tuf.TufTrustedRoot#update() update()} fetches and verifies (sigstore-java's TUF client) and
 *       replaces the cached root atomically; {@link dev.sigil.tuf.TufTrustedRoot#current() current()} reads the last
 *       good one without the network. {@code TufTrustedRoot.publicGood(dir)} is the public-good preset.
 *   <li>{@link dev.sigil.tuf.TrustedRootRefresher}: a background refresher for long-running services, which keeps
 *       serving the last good root when a refresh fails and reports to a listener.
 *   <li>{@link dev.sigil.tuf.TrustedRoots}: the choice one-shot commands make (a file, else the cached copy, else the
 *       embedded public-good snapshot), without network and without loading sigstore-java.
 *   <li>{@link dev.sigil.tuf.TrustedRootSnapshot}: a root with its bytes, origin and content
 *       {@link dev.sigil.tuf.TrustedRootSnapshot#version() version}; {@link dev.sigil.tuf.TrustedRootSource} is what
 *       a service asks for the root to verify with.
 *   <li>{@link dev.sigil.tuf.TrustException}: every failure, with a stable reason code in one of four kinds (remote,
 *       metadata, local, input).
 * </ul>
 *
 * <p>Data flows one way: front ends (cli, admission) use this package; it uses the verifier's trust types
 * ({@code TrustedRoot}, the embedded {@code PublicGood} snapshot) and sigstore-java. Signatures here use JDK, verifier
 * and this package's types only; {@code dev.sigil.tuf.internal} is not API. Nothing here prints, logs or exits, and
 * there is no static mutable state.
 */
package dev.sigil.tuf;
