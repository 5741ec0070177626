/**
 * Implementation of {@code dev.sigil.tuf}, not API: the cache directory's files ({@code CacheFiles}), the sigstore-java
 * TUF client and the mapping of its failures ({@code SigstoreTuf}, the only class that names sigstore-java types), and
 * the HTTP transport under it ({@code JdkFetcher}).
 */
package dev.sigil.tuf.internal;
