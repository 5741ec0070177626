package dev.sigil.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The documents of one YAML file, each with its text, its first line, and where each field is (line and column by
 * JSON pointer), so that every problem found later can point at the field. Jackson's YAML support reads the documents
 * and refuses unknown fields; YAML features a policy has no use for (anchors and aliases beyond a small bound, tags)
 * are bounded by the parser's own limits.
 */
final class YamlDocuments {
  /** Policy files larger than this are refused. */
  static final int MAX_FILE_BYTES = 1024 * 1024;

  static final YAMLMapper MAPPER =
      YAMLMapper.builder(
              YAMLFactory.builder()
                  .loaderOptions(loaderOptions())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private static org.yaml.snakeyaml.LoaderOptions loaderOptions() {
    org.yaml.snakeyaml.LoaderOptions o = new org.yaml.snakeyaml.LoaderOptions();
    o.setMaxAliasesForCollections(20);
    o.setNestingDepthLimit(64);
    o.setCodePointLimit(MAX_FILE_BYTES);
    o.setAllowDuplicateKeys(false);
    return o;
  }

  /** One document: its text, where it starts in the file, and its parsed tree. */
  record Document(String file, int index, int firstLine, String text, JsonNode tree, Map<String, int[]> locations) {
    /** {@code file:line:col: document N} for the field at {@code pointer}, or the nearest located parent. */
    String where(String pointer) {
      String p = pointer;
      while (true) {
        int[] at = locations.get(p);
        if (at != null) {
          return file + ":" + (firstLine + at[0] - 1) + ":" + at[1] + ": document " + (index + 1);
        }
        if (p.isEmpty()) {
          return file + ":" + firstLine + ": document " + (index + 1);
        }
        p = p.substring(0, Math.max(0, p.lastIndexOf('/')));
      }
    }

    /** Binds the document to {@code type}, refusing unknown fields with the file, line and field named. */
    <T> T bind(Class<T> type, String kind) throws PolicyException {
      try {
        return MAPPER.readValue(text, type);
      } catch (UnrecognizedPropertyException e) {
        String field = pointer(e.getPath());
        throw new PolicyException(
            where(field) + " (" + kind + "): unknown field \"" + e.getPropertyName() + "\" at "
                + (field.isEmpty() ? "the top level" : dotted(field)) + "; known fields: "
                + String.join(", ", knownFields(e)));
      } catch (JsonProcessingException e) {
        String at =
            e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()
                ? where(pointer(m.getPath()))
                : location(e.getLocation());
        throw new PolicyException(at + " (" + kind + "): " + pathOf(e) + "expected " + expectation(e));
      }
    }

    private String location(JsonLocation l) {
      if (l == null || l.getLineNr() < 1) {
        return file + ":" + firstLine + ": document " + (index + 1);
      }
      return file + ":" + (firstLine + l.getLineNr() - 1) + ":" + l.getColumnNr() + ": document " + (index + 1);
    }
  }

  private static List<String> knownFields(UnrecognizedPropertyException e) {
    List<String> out = new ArrayList<>();
    if (e.getKnownPropertyIds() != null) {
      for (Object o : e.getKnownPropertyIds()) {
        out.add(String.valueOf(o));
      }
    }
    java.util.Collections.sort(out);
    return out;
  }

  private static String pathOf(JsonProcessingException e) {
    if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
      return dotted(pointer(m.getPath())) + ": ";
    }
    return "";
  }

  private static String expectation(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    if (m == null) {
      return "valid YAML";
    }
    int nl = m.indexOf('\n');
    return "a value of the right type, found: " + (nl < 0 ? m : m.substring(0, nl));
  }

  static String pointer(List<com.fasterxml.jackson.databind.JsonMappingException.Reference> path) {
    StringBuilder sb = new StringBuilder();
    for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : path) {
      if (r.getFieldName() != null) {
        sb.append('/').append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('/').append(r.getIndex());
      }
    }
    return sb.toString();
  }

  /** {@code /spec/authorities/0/key} as {@code spec.authorities[0].key}. */
  static String dotted(String pointer) {
    StringBuilder sb = new StringBuilder();
    for (String part : pointer.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (part.chars().allMatch(Character::isDigit)) {
        sb.append('[').append(part).append(']');
      } else {
        sb.append(sb.length() == 0 ? "" : ".").append(part);
      }
    }
    return sb.toString();
  }

  private YamlDocuments() {}

  /**
   * Splits a file into its YAML documents (at lines that are exactly {@code ---}), parsing each.
   *
   * @throws PolicyException if a document is not YAML, naming the file, line and column
   */
  static List<Document> read(String file, String text) throws PolicyException {
    List<Document> docs = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    StringBuilder current = new StringBuilder();
    int start = 1;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.strip().equals("---") || line.startsWith("--- ")) {
        add(file, docs, current.toString(), start);
        current.setLength(0);
        start = i + 2;
        if (line.startsWith("--- ")) {
          current.append(line.substring(4)).append('\n');
          start = i + 1;
        }
        continue;
      }
      if (line.strip().equals("...")) {
        continue;
      }
      current.append(line).append('\n');
    }
    add(file, docs, current.toString(), start);
    return docs;
  }

  private static void add(String file, List<Document> docs, String text, int firstLine) throws PolicyException {
    if (text.isBlank() || onlyComments(text)) {
      return;
    }
    int index = docs.size();
    JsonNode tree;
    try {
      tree = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      String at = l == null || l.getLineNr() < 1 ? ":" + firstLine : ":" + (firstLine + l.getLineNr() - 1) + ":" + l.getColumnNr();
      String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
      int nl = m.indexOf('\n');
      throw new PolicyException(
          file + at + ": document " + (index + 1) + ": expected YAML, found a syntax error ("
              + (nl < 0 ? m : m.substring(0, nl)).strip() + ")");
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      return;
    }
    docs.add(new Document(file, index, firstLine, text, tree, locations(text)));
  }

  private static boolean onlyComments(String text) {
    for (String line : text.split("\n")) {
      String s = line.strip();
      if (!s.isEmpty() && !s.startsWith("#")) {
        return false;
      }
    }
    return true;
  }

  /** The line and column of every field and array element, by JSON pointer. */
  private static Map<String, int[]> locations(String text) {
    Map<String, int[]> out = new HashMap<>();
    try (JsonParser p = MAPPER.getFactory().createParser(text)) {
      Deque<Object> path = new ArrayDeque<>(); // String field names and int[] array counters
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.FIELD_NAME) {
          if (!path.isEmpty() && path.peek() instanceof String) {
            path.pop();
          }
          path.push(p.currentName());
          JsonLocation l = p.currentTokenLocation();
          out.put(pointerOf(path), new int[] {l.getLineNr(), l.getColumnNr()});
          continue;
        }
        if (!path.isEmpty() && path.peek() instanceof int[] counter) {
          counter[0]++;
          JsonLocation l = p.currentTokenLocation();
          out.put(pointerOf(path), new int[] {l.getLineNr(), l.getColumnNr()});
        }
        if (t == JsonToken.START_ARRAY) {
          path.push(new int[] {-1});
        } else if (t == JsonToken.START_OBJECT) {
          path.push("");
        } else if (t == JsonToken.END_ARRAY || t == JsonToken.END_OBJECT) {
          if (!path.isEmpty() && path.peek() instanceof String && t == JsonToken.END_OBJECT) {
            path.pop();
          } else if (!path.isEmpty()) {
            path.pop();
          }
        }
      }
    } catch (IOException e) {
      // the tree already parsed; locations are best effort
    }
    return out;
  }

  private static String pointerOf(Deque<Object> path) {
    StringBuilder sb = new StringBuilder();
    java.util.Iterator<Object> it = path.descendingIterator();
    while (it.hasNext()) {
      Object o = it.next();
      if (o instanceof String s) {
        if (!s.isEmpty()) {
          sb.append('/').append(s);
        }
      } else {
        sb.append('/').append(((int[]) o)[0]);
      }
    }
    return sb.toString();
  }

  static JsonMapper json() {
    return JsonMapper.builder().build();
  }
}
