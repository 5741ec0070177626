/**
 * The sandbox's certificate transparency log: {@link dev.sigil.sandbox.ctlog.CtLog} keeps a persistent P-256 key and
 * issues RFC 6962 v1 SCTs ({@link dev.sigil.sandbox.ctlog.Sct}) for precertificates, which the sandbox CA embeds in
 * its signing certificates.
 */
package dev.sigil.sandbox.ctlog;
