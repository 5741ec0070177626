package dev.sigil.verifier.internal.crypto;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * BouncyCastle's JCA provider, by instance, never installed globally: for what the JDK's providers do not do (the
 * certificates the JDK refuses, RSA signing over a DigestInfo) and for signing in the signer and the sandbox.
 */
public final class Providers {
  private Providers() {}

  /** Built on first use: constructing the provider registers hundreds of algorithms. */
  private static final class Holder {
    static final Provider BC = new BouncyCastleProvider();
  }

  /** The shared BouncyCastle provider instance (providers are thread-safe and immutable once built). */
  public static Provider bouncyCastle() {
    return Holder.BC;
  }
}
