/**
 * An RFC 3161 timestamp authority for the sandbox: {@link dev.sigil.sandbox.tsa.TimestampAuthority} keeps a P-256
 * root CA and TSA leaf in a data directory and answers TimeStampReqs with signed TimeStampResps (RFC 3161 with the
 * RFC 5816 ESSCertIDv2 attribute), and {@link dev.sigil.sandbox.tsa.TsaHttpHandler} serves it over HTTP at
 * {@code /api/v1/timestamp} on the JDK's {@code com.sun.net.httpserver}.
 */
package dev.sigil.sandbox.tsa;
