package dev.sigil.signer.keyless;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.signer.SigningException;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdTokenTest {
  @Test
  void readsClaimsWithoutVerifying() throws Exception {
    String jwt = TestPki.jwt("{\"iss\":\"https://i\",\"sub\":\"s\",\"email\":\"e@x\",\"exp\":1700000000}");
    IdToken t = IdToken.parse("  " + jwt + "\n");
    assertEquals(jwt, t.jwt());
    assertEquals("https://i", t.issuer());
    assertEquals("s", t.subject());
    assertEquals(Optional.of("e@x"), t.email());
    assertEquals("e@x", t.identity());
    assertEquals(Optional.of(Instant.ofEpochSecond(1700000000)), t.expiry());
    assertFalse(t.toString().contains(jwt));
    assertEquals("IdToken[iss=https://i, identity=e@x, token hidden]", t.toString());
  }

  @Test
  void identityIsSubWithoutEmail() throws Exception {
    assertEquals("s", IdToken.parse(TestPki.jwt("{\"iss\":\"https://i\",\"sub\":\"s\",\"email\":\"\"}")).identity());
  }

  @Test
  void malformedTokensAreRefusedWithoutEchoingThem() {
    String secretish = "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2lnbmF0dXJl";
    SigningException e = assertThrows(SigningException.class, () -> IdToken.parse(secretish));
    assertFalse(e.getMessage().contains(secretish));
    assertTrue(e.getMessage().startsWith("identity token payload: expected a JSON object"), e.getMessage());

    e = assertThrows(SigningException.class, () -> IdToken.parse("only.two"));
    assertEquals(
        "identity token: expected a JWT (three base64url parts separated by dots), found 2 part(s) of 8 characters",
        e.getMessage());
    e = assertThrows(SigningException.class, () -> IdToken.parse(TestPki.jwt("{\"sub\":\"s\"}")));
    assertEquals("identity token claim iss: expected a non-empty string, found no such field", e.getMessage());
    e = assertThrows(SigningException.class, () -> IdToken.parse("a.!!!.c"));
    assertEquals("identity token: expected a base64url payload, found undecodable text", e.getMessage());
  }
}
