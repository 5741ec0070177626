package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** BaseCommand.toJson writes what ObjectMapper with INDENT_OUTPUT wrote before it, byte for byte. */
class JsonOutputTest {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Test
  void writesAsObjectMapperDid() throws Exception {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("ok", false);
    n.put("exitCode", 1);
    n.put("big", Long.MAX_VALUE);
    n.put("neg", Integer.MIN_VALUE);
    n.put("text", "quote \" backslash \\ newline \n tab \t control \u0001 unicode é \u2028 emoji \uD83D\uDE00 </script>");
    n.putNull("nothing");
    n.putObject("empty");
    n.putArray("none");
    ArrayNode checks = n.putArray("checks");
    for (int i = 0; i < 3; i++) {
      checks.addObject().put("check", "c" + i).put("outcome", i % 2 == 0 ? "passed" : "failed").put("n", (short) i);
    }
    checks.add("loose").add(7).add(true).addNull().addArray().add("nested");
    n.putObject("deep").putObject("deeper").putArray("deepest").addObject();
    assertEquals(MAPPER.writeValueAsString(n), BaseCommand.toJson(n));
    ObjectNode withDouble = JsonNodeFactory.instance.objectNode().put("ratio", 0.5);
    assertEquals(MAPPER.writeValueAsString(withDouble), BaseCommand.toJson(withDouble)); // through ObjectMapper
    assertEquals(MAPPER.writeValueAsString(JsonNodeFactory.instance.objectNode()), BaseCommand.toJson(JsonNodeFactory.instance.objectNode()));
  }
}
